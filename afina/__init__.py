"""afina: fine-tune a pretrained language model on your own data and carry it through its life.

prepare → pretrain (optional) → train → evaluate → register, one YAML file, one run folder.
"""

import logging
import os
import sys

__version__ = "0.1.0"

# No telemetry: a company's runs stay on its machine. TRL's trainers and the hub client report usage
# unless HF_HUB_DISABLE_TELEMETRY is set; huggingface_hub reads it once, at import, so it is set before
# anything imports it, and turned off in place where something already has.
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
if "huggingface_hub.constants" in sys.modules:
    sys.modules["huggingface_hub.constants"].HF_HUB_DISABLE_TELEMETRY = True

# bitsandbytes warns at import, on CPUs with AVX512-BF16, that it could not fetch an optional kernel from
# the hub: nothing a user can act on offline, and afina's QLoRA turns that kernel off anyway (methods/qlora.py).
logging.getLogger("bitsandbytes.backends.cpu.ops").setLevel(logging.ERROR)
