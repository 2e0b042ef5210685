#!/usr/bin/python3
"""Fits the rational tanh of dev.rnnlab.tensor.Activations: tanh(x) ~ x P(x^2) / Q(x^2) on [0, 9] with
Q(0) = 1, by linearised least squares with reweighting (Sanathanan-Koerner iteration), then measures the
error of a float32 Horner evaluation on 2,000,001 points in [-12, 12] (inputs clamped to +-9, outputs to
+-1). Degrees (4, 4) are the ones used: max abs error 3.5e-7 for tanh, 2.0e-7 for the sigmoid
0.5 + 0.5 tanh(x/2). Higher degrees fit no better here (the system grows ill-conditioned).

  /usr/bin/python3 tools/fit_tanh.py
"""
import numpy as np
np.set_printoptions(precision=17)
XMAX = 9.0
def fit(np_, nq, iters=30):
    x = np.concatenate([np.linspace(0, XMAX, 20000), XMAX * (1 - np.cos(np.linspace(0, np.pi/2, 20000)))])
    x = np.unique(x); x = x[x > 0]
    y = np.tanh(x); u = x * x
    w = np.ones_like(x)
    for _ in range(iters):
        # x P(u) - y Q(u) = 0 with Q = 1 + sum q_k u^k; unknowns p_0..p_np, q_1..q_nq; relative weighting by 1/y
        A = np.hstack([np.stack([x * u**k for k in range(np_ + 1)], 1), np.stack([-y * u**k for k in range(1, nq + 1)], 1)])
        b = y
        W = (w / y)[:, None]
        sol, *_ = np.linalg.lstsq(A * W, b * W[:, 0], rcond=None)
        p, q = sol[:np_ + 1], np.concatenate([[1.0], sol[np_ + 1:]])
        Q = sum(q[k] * u**k for k in range(nq + 1))
        w = 1 / np.abs(Q)
    return p, q
def f32(p, q, x):
    x = np.clip(np.float32(x), np.float32(-XMAX), np.float32(XMAX)).astype(np.float32)
    u = (x * x).astype(np.float32)
    P = np.float32(p[-1])
    for c in p[-2::-1]: P = (P * u + np.float32(c)).astype(np.float32)
    Q = np.float32(q[-1])
    for c in q[-2::-1]: Q = (Q * u + np.float32(c)).astype(np.float32)
    return (x * P / Q).astype(np.float32)
xs = np.linspace(-12, 12, 2_000_001).astype(np.float32)
ref = np.tanh(xs.astype(np.float64))
for np_, nq in [(4, 4), (5, 5), (6, 6), (6, 5), (7, 6)]:
    p, q = fit(np_, nq)
    t = f32(p, q, xs).astype(np.float64)
    small = np.abs(xs) < 0.5
    print(np_, nq, "max abs err %.2e" % np.max(np.abs(t - ref)), "max rel err (|x|<0.5) %.2e" % np.max(np.abs((t - ref)[small] / np.where(ref[small]==0,1,ref[small]))), "max |t| %.9f" % np.max(np.abs(t)))
    if (np_, nq) == (6, 6): print(repr(p), repr(q))
p, q = fit(4, 4)
print("P", ", ".join("%.9ef" % c for c in p))
print("Q", ", ".join("%.9ef" % c for c in q))
pf = [float(np.float32(c)) for c in p]; qf = [float(np.float32(c)) for c in q]
t = np.clip(f32(pf, qf, xs), -1, 1).astype(np.float64)
print("with float32 coefficients and clamp: max abs err %.2e" % np.max(np.abs(t - ref)))
s = (0.5 + 0.5 * np.clip(f32(pf, qf, xs * np.float32(0.5)), -1, 1)).astype(np.float32).astype(np.float64)
sref = 1 / (1 + np.exp(-xs.astype(np.float64)))
print("sigmoid max abs err %.2e" % np.max(np.abs(s - sref)))
