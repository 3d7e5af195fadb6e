"""afina: fine-tune a pretrained language model on your own data and carry it through its life.

prepare → pretrain (optional) → train → evaluate → register, one YAML file, one run folder.
"""

__version__ = "0.1.0"
