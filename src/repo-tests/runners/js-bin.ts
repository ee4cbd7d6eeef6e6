import type { SandboxFile } from "../../sandbox/sandbox.ts";
import { REPORT_DIR } from "../types.ts";
import { VERSION_FILE } from "./framework-version.ts";

const SCRIPT = `${REPORT_DIR}/autofix-js-bin.sh`;

/**
 * Prints the bin to run for a JS tool: the repository's own `node_modules/.bin/<name>`, else the one
 * on PATH (the image's). Writes `<name>\t<version>\t<path>` to VERSION_FILE on the way: it follows
 * the bin's symlink into its package and reads the first `"version"` of the nearest package.json
 * that has one. Plain shell, no second `node`: on a loaded machine a node start costs a run up to a
 * second.
 */
const SCRIPT_SOURCE = `name=$1
bin=node_modules/.bin/$name
[ -x "$bin" ] || bin=$name
found=$(command -v "$bin" 2>/dev/null)
dir=
version=
[ -n "$found" ] && dir=$(dirname "$(readlink -f "$found" 2>/dev/null || echo "$found")")
while [ -n "$dir" ] && [ -z "$version" ]; do
  [ -f "$dir/package.json" ] && version=$(grep -o '"version"[[:space:]]*:[[:space:]]*"[^"]*"' "$dir/package.json" | head -n 1 | sed 's/.*"\\([^"]*\\)"$/\\1/')
  [ "$dir" = / ] && break
  dir=$(dirname "$dir")
done
if [ -z "$found" ]; then
  printf '%s\\tmissing\\t%s' "$name" "$bin" > ${VERSION_FILE}
else
  printf '%s\\t%s\\t%s' "$name" "\${version:-unknown}" "$found" > ${VERSION_FILE}
fi
printf '%s' "$bin"
`;

/** `BIN=…` for a JS tool, and the script it runs (see SCRIPT_SOURCE); the command then runs `"$BIN"`. */
export function jsBin(name: string): { shell: string; file: SandboxFile } {
  return { shell: `BIN=$(sh ${SCRIPT} ${name})`, file: { path: SCRIPT, content: SCRIPT_SOURCE } };
}
