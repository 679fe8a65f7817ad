// The CSV text itself: RFC 4180 quoting on the way out, formula cells neutralised, and a reader that takes
// back what the writer gives (and what spreadsheets save), numbering rows as the file does.
import { describe, expect, it } from 'vitest';
import { cellText, csvLine, neutralise, parseCsv, unneutralise } from '../../domain/csv/format';
import { DomainError } from '../../domain/errors';
import { resourceOf } from '../../domain/resources';

const deals = resourceOf('deals')!;

describe('writing', () => {
  it('quotes cells with a comma, a quote or a line break, doubling quotes, and ends lines with CRLF', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', ''])).toBe('plain,"a,b","say ""hi""","two\nlines","cr\rhere",\r\n');
  });

  it('neutralises cells a spreadsheet would run as a formula (OWASP): = + - @ tab CR', () => {
    for (const text of ['=1+2', '+1', '-2', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x","y")']) {
      expect(cellText(text)).toBe(`'${text}`);
      expect(unneutralise(cellText(text))).toBe(text);
    }
    expect(cellText('a=b')).toBe('a=b');
    expect(unneutralise("'plain")).toBe("'plain"); // only a quote that neutralised something is taken off
    expect(neutralise('1-2')).toBe('1-2');
  });

  it('leaves numbers of numeric columns as they are, minus sign included, but not text that looks like one', () => {
    expect(cellText('-12.50', deals.columns.get('value'))).toBe('-12.50');
    expect(cellText(-3, deals.columns.get('probability'))).toBe('-3');
    expect(cellText('-12.50', deals.columns.get('title'))).toBe("'-12.50");
    expect(cellText('-1+1', deals.columns.get('value'))).toBe("'-1+1");
  });

  it('writes NULL as an empty cell, timestamps as ISO 8601, JSON and lists as JSON text', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05.678Z');
    expect(cellText({ a: 1, b: 'x' })).toBe('{"a":1,"b":"x"}');
    expect(cellText(['view_users', 'export_data'])).toBe('["view_users","export_data"]');
    expect(cellText(true)).toBe('true');
  });
});

describe('reading', () => {
  it('reads back what the writer writes', () => {
    const rows = [['title', 'description'], ['a,b', 'say "hi"\r\nand bye'], ['', "'=1"]];
    const text = rows.map(csvLine).join('');
    expect(parseCsv(text).map((r) => r.cells)).toEqual(rows);
  });

  it('numbers records as rows (header = 1) and also tells the line a record starts on', () => {
    const records = parseCsv('a,b\n"x\ny",1\nz,2');
    expect(records.map((r) => [r.row, r.line, r.cells])).toEqual([
      [1, 1, ['a', 'b']],
      [2, 2, ['x\ny', '1']],
      [3, 4, ['z', '2']],
    ]);
  });

  it('takes LF, CRLF or CR line ends, a BOM, no final line break, a trailing empty cell', () => {
    expect(parseCsv('\uFEFFa,b\r\n1,2\r\n').map((r) => r.cells)).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\r1,2').map((r) => r.cells)).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\n1,').map((r) => r.cells)).toEqual([['a', 'b'], ['1', '']]);
    expect(parseCsv('a\n\nb\n').map((r) => r.cells)).toEqual([['a'], [''], ['b']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('refuses an unclosed quote and text after a closing quote, naming the row', () => {
    expect(() => parseCsv('a\n"never closed')).toThrowError(/Row 2 .*never closed/);
    expect(() => parseCsv('a,b\n1,2\n"x"y,3')).toThrowError(/Row 3 .*after a closing quote/);
    expect(() => parseCsv('"x"y')).toThrowError(DomainError);
  });
});
