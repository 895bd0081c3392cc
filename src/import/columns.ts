/**
 * Which column of an import file holds which field: headers are matched in any case,
 * with spaces, dots, dashes and underscores ignored, against each field's names.
 */
import { ImportFileError, type TableRow } from './read-table.js';

/** A header as compared: lower case, letters, digits and `/` only. */
export const headerKey = (text: string): string => text.trim().toLowerCase().replace(/[^a-z0-9/]/g, '');

export interface ColumnMap<F extends string> {
  /** The cell index of each field found. */
  index: Partial<Record<F, number>>;
  /** Headers that name no field (ignored). */
  ignored: string[];
}

/** Maps the header row's cells to fields; `names` gives each field's accepted headers. */
export function mapColumns<F extends string>(header: TableRow, names: Record<F, readonly string[]>, file: string): ColumnMap<F> {
  const byKey = new Map<string, F>();
  for (const [field, list] of Object.entries(names) as Array<[F, readonly string[]]>) {
    for (const name of list) byKey.set(headerKey(name), field);
  }
  const index: Partial<Record<F, number>> = {};
  const ignored: string[] = [];
  header.cells.forEach((cell, i) => {
    if (cell.trim() === '') return;
    const field = byKey.get(headerKey(cell));
    if (!field) {
      ignored.push(cell.trim());
      return;
    }
    const earlier = index[field];
    if (earlier !== undefined) {
      throw new ImportFileError(
        `${file}: columns "${header.cells[earlier]?.trim()}" and "${cell.trim()}" both hold ${field}; keep one of them`,
        true,
      );
    }
    index[field] = i;
  });
  return { index, ignored };
}

/** The trimmed cell of `field` in `row` ('' when the column is absent or the cell empty). */
export function cellOf<F extends string>(row: TableRow, map: ColumnMap<F>, field: F): string {
  const i = map.index[field];
  return i === undefined ? '' : (row.cells[i] ?? '').trim();
}
