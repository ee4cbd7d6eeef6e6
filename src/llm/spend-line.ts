export interface Spend {
  tokens: number;
  dollars: number;
}

/** Spend against the run's ceilings, e.g. `412,003 of 500,000 tokens, $1.21 of $2.00`. */
export function spendVersusCeiling(spent: Spend, ceiling: Spend): string {
  const tokens = (value: number) => Math.round(value).toLocaleString("en-US");
  return (
    `${tokens(spent.tokens)} of ${tokens(ceiling.tokens)} tokens, ` +
    `$${spent.dollars.toFixed(2)} of $${ceiling.dollars.toFixed(2)}`
  );
}
