import type { Command } from "commander";

// Placeholder: `autofix config check` is being built (src/config/).
export function registerConfigCommands(_program: Command): void {}
