"""Ship the top-level ``styles/`` folder inside the wheel as ``console.styles``.

pyproject.toml cannot combine package discovery with a package mapped from another folder, so
this one piece of packaging lives here; everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["console", "console.*"]) + ["console.styles"],
    package_dir={"console.styles": "styles"},
    package_data={"console.styles": ["*.tcss"]},
)
