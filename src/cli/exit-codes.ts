/** Exit codes shared by every subcommand. */
export const EXIT = { ok: 0, error: 1, invalid: 2, abstained: 3, notBuilt: 64 } as const;
