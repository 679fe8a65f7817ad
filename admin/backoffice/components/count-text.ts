// A list's total as the back office shows it. The server counts exactly up to 10,000 and answers 10,001 for
// "more" (domain/scoped/query.ts countWhere), so 10,001 reads "10,000+", never a guessed figure.
export const COUNT_CAP = 10_000;

export const countText = (total: number) => (total > COUNT_CAP ? `${COUNT_CAP.toLocaleString('en-US')}+` : total.toLocaleString('en-US'));
