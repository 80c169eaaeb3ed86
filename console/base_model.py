"""The base of the console's pydantic models: each builds its validator when it is first used,
not when its module is imported, so a start pays only for the models it uses (the gig list's
first frame uses a handful of some sixty; building them all took ~0.04 s CPU of the start)."""

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)
