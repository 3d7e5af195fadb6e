"""The base of every config section: a pydantic model that refuses unknown keys.

It sits below everything so that a section can live beside the code it configures (a method's
settings in its module, the model sections in `models/`) and `config.py` only assembles them.
"""

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """One section of the YAML config: unknown keys are refused, assignments validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
