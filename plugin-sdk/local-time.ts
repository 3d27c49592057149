// For pages: times in the household's wall-clock time, with the zone's short name ("2026-12-07
// 05:16 GMT+1"): the database keeps UTC instants, the people reading them live somewhere.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** An ISO instant as "YYYY-MM-DD HH:MM zone" in `timeZone` (an IANA name; UTC if it is not one). */
export function localTime(iso: string, timeZone: string): string {
  let f: Intl.DateTimeFormat;
  try {
    f = formatFor(timeZone);
  } catch {
    f = formatFor('UTC');
  }
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}
