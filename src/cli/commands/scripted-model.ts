import type { Command } from "commander";

// Placeholder: the scripted model server command is being built (src/scripted-model/).
export function registerScriptedModelCommand(_program: Command): void {}
