"""Maximum-likelihood fit of the response model to censored observations.

The model is the simulation's: an invited worker responds with probability p, after a lognormal
delay (median m hours, sigma s), and then accepts with probability a, independently. Workers who
never respond look like slow ones whose wait is still open, so this is a mixture-cure survival
model: a response at d contributes p f(d), an open wait of c contributes (1 - p) + p S(c).
scipy's censored fitting (``stats.lognorm.fit`` on ``CensoredData``) has no cure fraction, and
lifelines brings pandas and autograd for one three-parameter likelihood, so the likelihood is
written here and maximised with scipy.optimize. Intervals are Wald intervals on the transformed
parameters (logit p, log m, log s) from the numerical Hessian; a's is Wilson's (it factors out
of the likelihood as a binomial)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from scipy import optimize, special, stats

from .model import Estimate, GroupFit
from .observations import Observation

Z95 = 1.959963984540054


class FitError(ValueError):
    """Too little data to estimate the model; the message says what is missing."""


def _nll(theta: np.ndarray, log_d: np.ndarray, log_c: np.ndarray) -> float:
    lp, mu, ls = theta
    sigma = math.exp(ls)
    log_p, log_q = -np.logaddexp(0.0, -lp), -np.logaddexp(0.0, lp)
    z = (log_d - mu) / sigma
    responded = log_d.size * (log_p - ls) - log_d.sum() - 0.5 * float(z @ z)
    open_waits = np.logaddexp(log_q, log_p + stats.norm.logsf((log_c - mu) / sigma)).sum()
    return -(responded + float(open_waits))


def _hessian(f: Callable[[np.ndarray], float], x: np.ndarray, step: float = 1e-4) -> np.ndarray:
    n = x.size
    h = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.eye(n)[i] * step, np.eye(n)[j] * step
            value = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                4 * step * step)
            h[i, j] = h[j, i] = value
    return h


def wilson(successes: int, trials: int) -> tuple[float, float]:
    if trials == 0:
        return 0.0, 1.0
    phat = successes / trials
    denom = 1 + Z95 ** 2 / trials
    centre = (phat + Z95 ** 2 / (2 * trials)) / denom
    half = Z95 * math.sqrt(phat * (1 - phat) / trials + Z95 ** 2 / (4 * trials ** 2)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def fit_group(obs: Sequence[Observation]) -> GroupFit:
    hours = np.fromiter((o.hours for o in obs), float, len(obs))
    responded = np.fromiter((o.responded for o in obs), bool, len(obs))
    accepted = sum(1 for o in obs if o.responded and o.accepted)
    n, r = len(obs), int(responded.sum())
    if r < 2:
        raise FitError(f"{n} invitations with {r} responses: at least 2 responses are needed to "
                       "fit the response delay")
    log_d, log_c = np.log(hours[responded]), np.log(hours[~responded])
    spread = float(log_d.std()) or 0.1
    # Start from what was seen: the response rate (a lower bound of p) and the observed delays.
    start = np.array([special.logit(min(max(r / n, 0.05), 0.95)), float(log_d.mean()),
                      math.log(spread)])
    objective = lambda theta: _nll(theta, log_d, log_c)  # noqa: E731
    bounds = [(-12.0, 12.0), (-12.0, 12.0), (math.log(1e-3), math.log(20.0))]
    result = optimize.minimize(objective, start, method="L-BFGS-B", bounds=bounds)
    theta = result.x
    try:
        cov = np.linalg.inv(_hessian(objective, theta))
    except np.linalg.LinAlgError:
        cov = np.full((3, 3), np.nan)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    if not np.all(np.isfinite(se)) or np.any(np.diag(cov) < 0):
        se = np.full(3, np.inf)  # a flat likelihood (e.g. nobody left waiting): no interval

    def interval(i: int, transform: Callable[[float], float]) -> tuple[float, float, float]:
        low, high = theta[i] - Z95 * se[i], theta[i] + Z95 * se[i]
        return transform(theta[i]), transform(low), transform(high)

    expit = lambda x: float(special.expit(x))  # noqa: E731
    bounded_exp = lambda x: math.exp(min(x, 700.0))  # noqa: E731
    a_low, a_high = wilson(accepted, r)
    estimates = {
        "respond_probability": Estimate(*interval(0, expit), n),
        "accept_probability": Estimate(accepted / r, a_low, a_high, r),
        "response_median_hours": Estimate(*interval(1, bounded_exp), r),
        "response_sigma": Estimate(*interval(2, bounded_exp), r),
    }
    finite_cov = np.where(np.isfinite(cov), cov, 0.0)
    return GroupFit(estimates, tuple(float(x) for x in theta),  # type: ignore[arg-type]
                    tuple(tuple(float(x) for x in row) for row in finite_cov), n, r, accepted)
