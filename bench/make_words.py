"""Writes a generated word corpus for the scale-out benchmarks: SIZE_MB megabytes of lines of 4-16 words,
drawn from a Zipf distribution (exponent 1.1) over 50,000 made-up words, split into files of 10 MB,
deterministic for a seed. Usage: python3 bench/make_words.py OUT_DIR SIZE_MB [SEED]"""
import itertools, os, random, sys

out, size_mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
letters = "abcdefghijklmnopqrstuvwxyz"
words = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(60000)})[:50000]
rng.shuffle(words)
weights = [1.0 / (r + 1) ** 1.1 for r in range(len(words))]
cumulative = list(itertools.accumulate(weights))  # what choices(weights=...) computes on every call
os.makedirs(out, exist_ok=True)
target, written, part = size_mb << 20, 0, 0
while written < target:
    path = os.path.join(out, "part-%04d.txt" % part)
    with open(path, "w") as f:
        in_file = 0
        while in_file < (10 << 20) and written + in_file < target:
            lines = []
            for _ in range(2000):
                lines.append(" ".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(4, 16))))
            block = "\n".join(lines) + "\n"
            f.write(block)
            in_file += len(block)
    written += in_file
    part += 1
print(f"{written / (1 << 20):.0f} MB in {part} files in {out}")
