"""Summarises bench/spark_train.sh's run directories: final validation loss, characters trained and their
rate, validation loss at fractions of the budget, and the round and synchronisation times."""
import json, math, os, statistics, sys

work, budget, ks, modes, sizes = sys.argv[1], float(sys.argv[2]), sys.argv[3].split(), sys.argv[4].split(), sys.argv[5].split()

def lines(path):
    return [json.loads(l) for l in open(path)] if os.path.exists(path) else []

def curve(run):
    """(elapsed training seconds, validation loss) at every validation the run made."""
    points = [(e["elapsed_seconds"], e["validation_loss"]) for e in lines(f"{run}/metrics.jsonl") if "validation_loss" in e]
    points += [(r["elapsed_seconds"], r["validation_loss"]) for r in lines(f"{run}/rounds.jsonl") if "validation_loss" in r]
    return sorted(set(points))

def at(points, t):
    """The validation loss of the last validation at or before t seconds."""
    before = [v for s, v in points if s <= t + 1e-9]
    return before[-1] if before else float("nan")

def summary(name, run):
    m = lines(f"{run}/metrics.jsonl")
    chars, secs = sum(e["tokens"] for e in m), sum(e["seconds"] for e in m)
    c = curve(run)
    marks = [at(c, budget * f) for f in (1 / 3, 2 / 3)]
    rounds = lines(f"{run}/rounds.jsonl")[1:]  # the first round also starts the executors
    rnd = f"{statistics.median(r['seconds'] for r in rounds):8.3f} {statistics.median(r['sync_seconds'] for r in rounds):8.3f}" if rounds else f"{'':>8} {'':>8}"
    print(f"{name:<18} {m[-1]['validation_loss']:>8.4f} {marks[0]:>8.4f} {marks[1]:>8.4f} {chars:>12,} {chars / secs:>9,.0f} {rnd}")

print(f"\nbudget {budget:.0f} s of training each; validation loss in nats per character on the held-out 10%")
print(f"{'run':<18} {'val end':>8} {'val@1/3':>8} {'val@2/3':>8} {'chars':>12} {'chars/s':>9} {'round s':>8} {'sync s':>8}")
summary("train --shards 2", f"{work}/single")
for mode in modes:
    for k in ks:
        summary(f"{mode} K={k}", f"{work}/{mode}-k{k}")

if sizes:
    print("\none synchronisation round (K = 1, Adam: weights and both moments out, the same back from each partition), median over rounds")
    print(f"{'mode':<11} {'hidden':>6} {'parameters':>11} {'round s':>8} {'compute s':>9} {'sync s':>8}")
    for mode in modes:
        for h in sizes:
            run = f"{work}/cost-{mode}-h{h}"
            rounds = lines(f"{run}/rounds.jsonl")[2:]
            if not rounds:
                continue
            cfg = json.load(open(f"{run}/config.json"))["info"]["model"]
            v, hh = cfg["vocab"], cfg["hidden"]
            params = 4 * hh * (v + hh) + 8 * hh + hh * v + v
            print(f"{mode:<11} {hh:>6} {params:>11,} {statistics.median(r['seconds'] for r in rounds):>8.3f}"
                  f" {statistics.median(r['compute_seconds'] for r in rounds):>9.3f} {statistics.median(r['sync_seconds'] for r in rounds):>8.3f}")
