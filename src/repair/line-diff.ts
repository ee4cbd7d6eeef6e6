export type DiffOp = { kind: "same" | "del" | "add"; line: string };

/**
 * A shortest edit script between two line arrays (Myers' O(ND) algorithm), after trimming the common
 * prefix and suffix, which keeps the typical patch (a few local edits) close to linear.
 */
export function diffLines(a: readonly string[], b: readonly string[]): DiffOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (lines: readonly string[]) => lines.map((line): DiffOp => ({ kind: "same", line }));
  return [
    ...same(a.slice(0, start)),
    ...myers(a.slice(start, endA), b.slice(start, endB)),
    ...same(a.slice(endA)),
  ];
}

/** Beyond this many edits the script is no longer minimal (replace all) to bound memory (~D² ints). */
const MAX_EDITS = 2_000;

function myers(a: readonly string[], b: readonly string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  /** trace[d] holds v[-d..d] as it was before step d. */
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b);
    }
  }
  return [
    ...a.map((line): DiffOp => ({ kind: "del", line })),
    ...b.map((line): DiffOp => ({ kind: "add", line })),
  ];
}

function backtrack(trace: Int32Array[], a: readonly string[], b: readonly string[]): DiffOp[] {
  const ops: DiffOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const saved = trace[d] ?? new Int32Array(0);
    const at = (k: number) => saved[k + d] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: "same", line: a[x - 1] ?? "" });
      x--;
      y--;
    }
    if (d > 0) {
      if (down) ops.push({ kind: "add", line: b[y - 1] ?? "" });
      else ops.push({ kind: "del", line: a[x - 1] ?? "" });
    }
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}
