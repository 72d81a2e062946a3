"""Formats `ballast call` JSON results as aligned text for the demo. Reads JSON documents from stdin."""
import json
import sys


def documents(text):
    decoder, index = json.JSONDecoder(), 0
    while index < len(text):
        while index < len(text) and text[index].isspace():
            index += 1
        if index == len(text):
            break
        value, index = decoder.raw_decode(text, index)
        yield value


def summary(d):
    classes = ", ".join(f"{c['label']}: {c['count']:,}" for c in d["classes"])
    print(f"  {d['name']}: {d['rows']:,} rows x {d['features']} features; classes {classes}; "
          f"imbalance {d['imbalance_ratio']:.1f}:1; positive '{d.get('positive')}'; {d['bytes'] / 1e6:.1f} MB")


def main():
    kind = sys.argv[1]
    docs = list(documents(sys.stdin.read()))
    if kind == "summary":
        for d in docs:
            summary(d)
    elif kind == "split":
        for d in docs:
            for part in d["datasets"]:
                summary(part)
    elif kind == "list":
        for d in docs:
            for part in d["datasets"]:
                summary(part)
            print(f"  memory: {d['bytes_used'] / 1e6:.1f} MB of {d['memory_budget'] / 1e9:.1f} GB budget")
    elif kind == "weights":
        print(f"  {'scheme':<18}{'normalization':<22}{'w(0)':>12}{'w(1)':>12}{'pos_weight':>12}")
        for d in docs:
            w = {c["label"]: c["weight"] for c in d["classes"]}
            print(f"  {d['scheme']:<18}{d['normalization']:<22}{w.get('0', 0):>12.6f}{w.get('1', 0):>12.6f}"
                  f"{d.get('pos_weight') or 0:>12.2f}")
        print("  pos_weight = w(1)/w(0): pass it to PyTorch BCEWithLogitsLoss(pos_weight=...) or TensorFlow's")
        print("  weighted_cross_entropy_with_logits; sklearn_class_weight in each result is scikit-learn's class_weight.")


main()
