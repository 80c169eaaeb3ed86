"""Maximum-likelihood fit of the response model to censored observations.

The model is the simulation's: an invited worker responds with probability p, after a lognormal
delay (median m hours, sigma s), and then accepts with probability a, independently. Workers who
never respond look like slow ones whose wait is still open, so this is a mixture-cure survival
model: a response at d contributes p f(d), an open wait of c contributes (1 - p) + p S(c).
scipy's censored fitting (``stats.lognorm.fit`` on ``CensoredData``) has no cure fraction, and
lifelines brings pandas and autograd for one three-parameter likelihood, so the likelihood is
written here and maximised with scipy.optimize.

The 95% intervals of p, m and s are likelihood-ratio (profile) intervals: the values where twice
the log-likelihood, the other two parameters maximised out, falls by 1.96**2 from its maximum.
Unlike a Wald interval (the Hessian's quadratic, even on the logit and log scales) they follow
the likelihood where censoring skews it (early on, "slow" and "never answers" look alike: the
likelihood of p is long towards 1, or flat up to it), they do not depend on the scale, and a
side the data cannot bound ends at the parameter's own limit. Censoring at a time the data chose
(seats_max expires every pending invitation the moment the gig fills) leaves the likelihood as
it is: whether an invitation is still open depends only on what happened before. a's interval
is Wilson's score interval: a factors out of the likelihood as a binomial of the responses, and
where the gig filled at seats_max the accepts are fixed and the responses counted until the
last one (inverse binomial sampling), where Wilson's coverage is 95.0% as well (summed exactly
over the negative binomial at 1,150 accepts of 0.25). The Hessian's covariance stays what a
forecast draws each run's parameters from."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from scipy import optimize, special

from .model import Estimate, GroupFit
from .observations import Observation

Z95 = 1.959963984540054
SQRT_2PI = math.sqrt(2 * math.pi)


class FitError(ValueError):
    """Too little data to estimate the model; the message says what is missing."""


def _nll(theta: np.ndarray, log_d: np.ndarray, log_c: np.ndarray) -> tuple[float, np.ndarray]:
    """The negative log-likelihood and its gradient (the optimiser and the profiles take many
    steps: an analytic gradient saves three evaluations per step)."""
    lp, mu, ls = theta
    sigma = math.exp(ls)
    p = float(special.expit(lp))
    q = 1.0 - p
    z = (log_d - mu) / sigma
    responded = log_d.size * (math.log(p) - ls) - log_d.sum() - 0.5 * float(z @ z)
    w = (log_c - mu) / sigma
    # Plain probabilities, not logs: q + p S is at least q (> 6e-6 within the bounds), and
    # special.ndtr is a fraction of the cost of the log-space functions.
    survival = special.ndtr(-w)
    waiting = q + p * survival
    open_waits = np.log(waiting)
    share = p * np.exp(-0.5 * w * w) / (SQRT_2PI * waiting)  # p f(w) / (q + p S)
    # d/d(logit p) of log p is q; of an open wait's log(q + p S) it is -p q F / (q + p S).
    grad = np.array([
        log_d.size * q - p * q * float(((1.0 - survival) / waiting).sum()),
        float(z.sum()) / sigma + float(share.sum()) / sigma,
        -log_d.size + float(z @ z) + float((share * w).sum()),
    ])
    return -(responded + float(open_waits.sum())), -grad


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


Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]
BOUNDS = ((-12.0, 12.0), (-12.0, 12.0), (math.log(1e-3), math.log(20.0)))


def _profile_limits(objective: Objective, theta: np.ndarray, best: float, cov: np.ndarray,
                    i: int) -> tuple[float, float]:
    """The likelihood-ratio 95% interval of theta[i]: where twice the profile log-likelihood
    (the other two parameters maximised out) falls Z95**2 below its maximum. A side whose
    bound is reached first (the data cannot bound it) is that bound."""
    free = [j for j in range(3) if j != i]
    # The quadratic approximation's standard error sets the steps; at most 1 on these scales
    # (at a bound, e.g. p near 1 with nobody waiting, it is huge and says nothing).
    scale = (min(math.sqrt(cov[i, i]), 1.0) if np.isfinite(cov[i, i]) and cov[i, i] > 0
             else 1.0)
    # Start each inner fit on the line the quadratic approximation predicts for the others.
    slope = (cov[free, i] / cov[i, i] if np.all(np.isfinite(cov[free, i])) and cov[i, i] > 0
             else np.zeros(2))

    def excess(psi: float) -> float:
        """sqrt(twice the fall of the profile) - Z95: nearly linear in psi, so the root search
        takes a few steps."""
        def inner(others: np.ndarray) -> tuple[float, np.ndarray]:
            value, grad = objective(np.insert(others, i, psi))
            return value, grad[free]

        start = np.clip(theta[free] + slope * (psi - theta[i]), [BOUNDS[j][0] for j in free],
                        [BOUNDS[j][1] for j in free])
        # TNC, not L-BFGS-B: as good here, and L-BFGS-B's BLAS calls on 2-vectors cost
        # milliseconds each on a loaded machine.
        found = optimize.minimize(inner, start, jac=True, method="TNC",
                                  bounds=[BOUNDS[j] for j in free])
        # The profile can only lie above the maximum; a dip below is the optimiser's slack.
        return math.sqrt(2 * max(float(found.fun) - best, 0.0)) - Z95

    limits = []
    for direction, bound in ((-1, BOUNDS[i][0]), (1, BOUNDS[i][1])):
        # From the quadratic approximation's end outwards until the profile has fallen enough.
        inside, edge = theta[i], theta[i] + direction * scale * Z95
        while direction * (edge - bound) < 0 and excess(edge) <= 0:
            inside, edge = edge, edge + direction * scale * Z95
        if direction * (edge - bound) >= 0:
            edge = bound
            if excess(bound) <= 0:
                limits.append(bound)
                continue
        limits.append(optimize.brentq(excess, inside, edge, xtol=1e-4 * scale))
    return limits[0], limits[1]


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
    objective: Objective = lambda theta: _nll(theta, log_d, log_c)  # noqa: E731
    result = optimize.minimize(objective, start, jac=True, method="L-BFGS-B", bounds=BOUNDS)
    theta = result.x
    try:
        cov = np.linalg.inv(_hessian(lambda x: objective(x)[0], theta))
    except np.linalg.LinAlgError:
        cov = np.full((3, 3), np.nan)
    if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) < 0):
        cov = np.full((3, 3), np.nan)  # a flat likelihood (e.g. nobody left waiting)
    # What the data cannot bound goes to the parameter's own limit (0 or 1, 0 or infinity).
    natural = ((0.0, 1.0), (0.0, math.inf), (0.0, math.inf))

    def interval(i: int, transform: Callable[[float], float]) -> tuple[float, float, float]:
        ends = _profile_limits(objective, theta, float(result.fun), cov, i)
        low, high = (natural[i][side] if ends[side] == BOUNDS[i][side] else transform(ends[side])
                     for side in (0, 1))
        return transform(theta[i]), low, high

    expit = lambda x: float(special.expit(x))  # noqa: E731
    a_low, a_high = wilson(accepted, r)
    estimates = {
        "respond_probability": Estimate(*interval(0, expit), n),
        "accept_probability": Estimate(accepted / r, a_low, a_high, r),
        "response_median_hours": Estimate(*interval(1, math.exp), r),
        "response_sigma": Estimate(*interval(2, math.exp), r),
    }
    finite_cov = np.where(np.isfinite(cov), cov, 0.0)
    return GroupFit(estimates, tuple(float(x) for x in theta),  # type: ignore[arg-type]
                    tuple(tuple(float(x) for x in row) for row in finite_cov), n, r, accepted)
