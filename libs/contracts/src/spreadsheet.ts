// Text bound for a CSV that people open in a spreadsheet (the accountants' export, the importer's refusal report).

/**
 * A cell as text a spreadsheet shows and never evaluates: one that starts like a formula (=, +, -, @, or a tab or
 * carriage return before one) gets an apostrophe in front, as OWASP's CSV-injection advice has it.
 */
export function spreadsheetText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
