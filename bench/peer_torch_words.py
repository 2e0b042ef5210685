#!/usr/bin/python3
"""Word-level runs of the PyTorch peer, for the one configuration ../shared/bench/peer_torch.py cannot
make itself (it reads text as characters): The Time Machine tokenised into words as D2L 8.2 does (its
normalisation per line, split on whitespace, vocabulary by descending frequency with <unk> at 0: 4,580
entries), then trained with the peer's own model (peer_torch.FusedModel) and loop (peer_torch.train),
so the only difference from a character run is the vocabulary. Prints one JSON line with the peer's keys.

  /usr/bin/python3 bench/peer_torch_words.py --text ../shared/data/timemachine.txt --cell lstm --hidden 256 --embed 256
"""
import argparse, collections, json, os, re, resource, sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("PEER_DIR", os.path.join(here, "..", "..", "shared", "bench")))
import peer_torch as peer  # noqa: E402  (the shared peer, found beside the repository)
import torch  # noqa: E402


def load_words(path):
    with open(path, encoding="utf-8") as f:
        words = [w for line in f for w in re.sub("[^A-Za-z]+", " ", line).strip().lower().split()]
    by_frequency = sorted(collections.Counter(words).items(), key=lambda kv: kv[1], reverse=True)
    index = {w: i + 1 for i, (w, _) in enumerate(by_frequency)}
    return torch.tensor([index[w] for w in words], dtype=torch.long), len(index) + 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--text", required=True)
    p.add_argument("--cell", choices=["rnn", "gru", "lstm"], default="lstm")
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--embed", type=int, default=256)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=35)
    p.add_argument("--lr", type=float, default=1.0)
    p.add_argument("--clip", type=float, default=1.0)
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--blas-threads", type=int, default=0)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--iters", type=int, default=0)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()

    torch.manual_seed(args.seed)
    torch_threads, blas_threads, blas = peer.set_threads(args.threads, args.blas_threads)
    corpus, vocab = load_words(args.text)
    model = peer.FusedModel(args.cell, vocab, args.hidden, args.layers, args.embed)
    result = peer.train(args, model, corpus)
    flops = peer.gemm_flops_per_token(args.cell, vocab, args.hidden, args.layers, args.embed)
    result.update({"gemm_mflop_per_token": flops / 1e6, "achieved_gflops": flops * result["tokens_per_s"] / 1e9,
                   "peer": "pytorch", "torch": torch.__version__, "blas": blas, "tokens": "word", "cell": args.cell,
                   "hidden": args.hidden, "layers": args.layers, "embed": args.embed, "batch": args.batch,
                   "steps": args.steps, "vocab": vocab, "corpus_tokens": len(corpus), "torch_threads": torch_threads,
                   "blas_threads": blas_threads,
                   "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main()
