/** Words every report shares: how a unit is called, and the closing line. */

export const THANKS = 'Terima kasih.';

const UNIT_LABELS: Record<string, string> = { ORG: 'Polres', POLRES: 'Polres', POLDA: 'Polda', POLSEK: 'Polsek', DIREKTORAT: 'Direktorat' };

/**
 * The label a report gives the client (`*Polres*: *POLRES DEMO*`), from `client_type`:
 * ORG (Cicero_V2's value for a Polres) or empty → Polres, the known kinds by name,
 * anything else title-cased as typed (`satker brimob` → `Satker Brimob`).
 */
export function unitLabel(type: string | null): string {
  const typed = (type ?? '').trim();
  if (typed === '') return 'Polres';
  return (
    UNIT_LABELS[typed.toUpperCase()] ??
    typed
      .toLowerCase()
      .split(/\s+/)
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(' ')
  );
}
