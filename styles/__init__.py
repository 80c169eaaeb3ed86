"""The console's TCSS. A package only so that importlib.resources hands back a real folder
(a namespace package would give a MultiplexedPath) once installed as ``console.styles``."""
