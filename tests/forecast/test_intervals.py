"""The fit's 95% intervals are likelihood-ratio (profile) intervals: checked against the
textbook closed forms where the likelihood has them, and against a profile computed here by
brute force from scipy.stats on a small censored case, where the Wald interval is off."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from console.forecast.fit import Z95, fit_group
from console.forecast.observations import Observation

CHI2 = Z95 ** 2


def responses(hours: list[float], accepted: int = 0) -> list[Observation]:
    return [Observation(str(i), h, True, i < accepted) for i, h in enumerate(hours)]


# Ten delays, everybody answered: the likelihood is r log p times a lognormal's.
DELAYS = [0.3, 0.7, 1.1, 1.6, 2.0, 2.4, 3.5, 5.0, 8.0, 13.0]


def test_without_censoring_the_intervals_are_the_normal_profile_closed_forms():
    fit = fit_group(responses(DELAYS))
    x = np.log(DELAYS)
    n, mean, var = x.size, float(x.mean()), float(x.var())
    # The median: twice the log-likelihood ratio of a normal mean with sigma profiled out is
    # n log(1 + (mean - mu)^2 / var).
    half = math.sqrt(var * math.expm1(CHI2 / n))
    median = fit.estimates["response_median_hours"]
    assert median.low == pytest.approx(math.exp(mean - half), rel=2e-3)
    assert median.high == pytest.approx(math.exp(mean + half), rel=2e-3)
    # Sigma: n (u - 1 - log u) = chi2 with u = var / sigma^2, one root either side of 1.
    roots = [optimize.brentq(lambda u: n * (u - 1 - math.log(u)) - CHI2, a, b)
             for a, b in ((1e-6, 1.0), (1.0, 1e6))]
    sigma = fit.estimates["response_sigma"]
    assert sigma.low == pytest.approx(math.sqrt(var / roots[1]), rel=2e-3)
    assert sigma.high == pytest.approx(math.sqrt(var / roots[0]), rel=2e-3)
    # Nobody left waiting: nothing says anyone never responds (up to 1), and r log p falls by
    # chi2 / 2 at p = exp(-chi2 / (2 r)).
    respond = fit.estimates["respond_probability"]
    assert respond.high == 1.0
    assert respond.low == pytest.approx(math.exp(-CHI2 / (2 * n)), rel=2e-3)


def _loglik(p: float, mu: float, sigma: float, d: np.ndarray, c: np.ndarray) -> float:
    """The mixture-cure likelihood written afresh with scipy.stats' lognormal (hours)."""
    dist = stats.lognorm(s=sigma, scale=math.exp(mu))
    return float(np.sum(math.log(p) + dist.logpdf(d))
                 + np.sum(np.log((1 - p) + p * dist.sf(c))))


def _brute_profile_p(d: np.ndarray, c: np.ndarray) -> tuple[float, float]:
    """Where the profile of p (mu, log sigma maximised by BFGS on numerical gradients) falls
    chi2 / 2 below its maximum."""
    def profile(p: float) -> float:
        found = optimize.minimize(lambda t: -_loglik(p, t[0], math.exp(t[1]), d, c),
                                  [float(np.log(d).mean()), 0.0], method="BFGS",
                                  options={"gtol": 1e-7})
        return -float(found.fun)

    best = optimize.minimize_scalar(lambda p: -profile(p), bounds=(0.05, 0.999),
                                    method="bounded", options={"xatol": 1e-7})
    top = -float(best.fun)
    fall = lambda p: top - profile(p) - CHI2 / 2  # noqa: E731
    high = 1.0 if fall(0.999) <= 0 else optimize.brentq(fall, best.x, 0.999, xtol=1e-7)
    return optimize.brentq(fall, 0.05, best.x, xtol=1e-7), high


@pytest.mark.parametrize(("seed", "answered", "waiting", "wait_hours"), [
    # 20 answered, 30 seen waiting about 2.7 h: the likelihood of p is skewed (long towards 1);
    # the Wald interval on logit p ends at 0.65 where the profile ends at 0.74.
    (1, 20, 30, 1.0),
    # 30 answered, 20 seen waiting about 1.6 h: p may well be 1, so the Wald interval (from a
    # Hessian at the bound) is 0.001 - 1; the likelihood still rules out p below 0.63.
    (0, 30, 20, 0.5),
])
def test_a_censored_respond_probability_follows_the_profile_not_the_quadratic(
        seed, answered, waiting, wait_hours):
    rng = np.random.default_rng(seed)
    d = np.exp(rng.normal(0.0, 1.0, answered))
    c = np.exp(rng.normal(wait_hours, 0.5, waiting))
    fit = fit_group(responses(list(d)) + [Observation(f"w{i}", h, False)
                                          for i, h in enumerate(c)])
    low, high = _brute_profile_p(d, c)
    respond = fit.estimates["respond_probability"]
    assert respond.low == pytest.approx(low, abs=2e-3)
    assert respond.high == pytest.approx(high, abs=2e-3)
