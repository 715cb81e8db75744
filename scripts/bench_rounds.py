"""Round-by-round results of a benchmark script, for the report it writes.

A results file has one line per measurement: VARIANT ROUND VALUE. The variants of a round ran
one after another, so ratios are taken within a round and their median reported.
"""
import statistics


class Rounds:
    def __init__(self, path):
        self.by_round = {}
        for line in open(path, encoding="utf-8"):
            variant, rnd, value = line.split()
            self.by_round.setdefault(int(rnd), {})[variant] = float(value)
        self.rounds = sorted(self.by_round)

    def values(self, v):
        return [self.by_round[r][v] for r in self.rounds]

    def ratio(self, a, b):
        """Median over the rounds of value(a) / value(b), with the lowest and highest."""
        r = [self.by_round[n][a] / self.by_round[n][b] for n in self.rounds]
        return statistics.median(r), min(r), max(r)

    def cell(self, v, fmt):
        x = self.values(v)
        return f"{statistics.median(x):{fmt}} ({min(x):{fmt}}-{max(x):{fmt}})"

    def ratio_cell(self, a, b):
        med, lo, hi = self.ratio(a, b)
        return f"{med:.2f} ({lo:.2f}-{hi:.2f})"

    def explained(self):
        """The paragraph saying how the figures were taken."""
        return [f"{len(self.rounds)} rounds; in each, every variant ran once in fresh processes and "
                "the variants took turns. Each figure is the median over the rounds (lowest-highest); "
                "each ratio is the median over the rounds of the ratio within a round.", ""]
