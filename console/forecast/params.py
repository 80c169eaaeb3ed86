"""The response parameters of each worker group as arrays a run indexes by group, and the draw
of one run's parameters from the fit's uncertainty."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from console.waves import SimSettings

from .model import GroupFit, ResponseModel

HOUR = 3600.0


@dataclass(frozen=True)
class GroupParams:
    """Per group: theta = (logit p, log median hours, log sigma), its covariance, and the accept
    counts; a group without a covariance (unmeasured settings) is drawn as a point."""

    theta: np.ndarray  # (G, 3)
    cov: np.ndarray  # (G, 3, 3)
    accepted: np.ndarray  # (G,)
    responded: np.ndarray  # (G,)
    accept_point: np.ndarray  # (G,) used where responded is 0

    @property
    def groups(self) -> int:
        return self.theta.shape[0]

    def draw(self, rng: np.random.Generator | None) -> tuple[np.ndarray, ...]:
        """(p, accept, mu of the delay in log seconds, sigma) per group; the point estimates
        when ``rng`` is None."""
        theta = self.theta.copy()
        accept = np.where(self.responded > 0, self.accepted / np.maximum(self.responded, 1),
                          self.accept_point)
        if rng is not None:
            for g in range(self.groups):
                if np.any(self.cov[g]):
                    theta[g] = rng.multivariate_normal(self.theta[g], self.cov[g],
                                                       method="cholesky")
                if self.responded[g] > 0:
                    # Jeffreys' posterior of a binomial proportion.
                    accept[g] = rng.beta(self.accepted[g] + 0.5,
                                         self.responded[g] - self.accepted[g] + 0.5)
        return (special.expit(theta[:, 0]), accept, theta[:, 1] + math.log(HOUR),
                np.exp(theta[:, 2]))


def _fit_row(fit: GroupFit) -> tuple[list[float], list[list[float]], int, int, float]:
    return (list(fit.theta), [list(r) for r in fit.cov], fit.accepted, fit.responded,
            fit.value("accept_probability"))


def params_from_model(model: ResponseModel, group_keys: list[str]) -> GroupParams:
    """Row g holds the fit of group_keys[g] (the overall fit for a key without its own)."""
    rows = [_fit_row(model.group_of(key)) for key in group_keys] or [_fit_row(model.overall)]
    return GroupParams(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]),
                       np.array([r[2] for r in rows], float), np.array([r[3] for r in rows], float),
                       np.array([r[4] for r in rows], float))


def params_from_settings(settings: SimSettings) -> GroupParams:
    """The simulation's own (unmeasured) settings, with no uncertainty."""
    p = min(max(settings.respond_probability, 1e-9), 1 - 1e-9)
    theta = [float(special.logit(p)), math.log(settings.response_median_hours),
             math.log(max(settings.response_sigma, 1e-6))]
    return GroupParams(np.array([theta]), np.zeros((1, 3, 3)), np.zeros(1), np.zeros(1),
                       np.array([settings.accept_probability]))
