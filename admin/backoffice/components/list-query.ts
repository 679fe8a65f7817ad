// The query of the list a user last looked at, per resource: AdminJS opens a resource action (Export CSV) without
// the list's query string, so the list remembers it here (ListAction) and the export reads it back.
const key = (resource: string) => `epesi:list-query:${resource}`;

export const rememberListQuery = (resource: string, search: string) => {
  try {
    sessionStorage.setItem(key(resource), search);
  } catch {
    // storage unavailable (private mode): the export then takes the whole list
  }
};

export const lastListQuery = (resource: string): string => {
  try {
    return sessionStorage.getItem(key(resource)) ?? '';
  } catch {
    return '';
  }
};

/**
 * AdminJS list parameters (?filters.status=active&filters.created_at~~from=...&sortBy=&direction=) in the JSON
 * API's form (?filters[status]=active&filters[created_at][from]=...), with a description for the page.
 */
export function apiQueryOf(search: string): { query: string; described: string[] } {
  const out = new URLSearchParams();
  const described: string[] = [];
  for (const [k, value] of new URLSearchParams(search)) {
    const m = /^filters\.([^~]+)(?:~~(from|to))?$/.exec(k);
    if (m) {
      out.set(m[2] ? `filters[${m[1]}][${m[2]}]` : `filters[${m[1]}]`, value);
      described.push(`${m[1]}${m[2] ? ` ${m[2]}` : ''} = ${value}`);
    }
    if (k === 'sortBy' || k === 'direction') out.set(k, value);
  }
  if (out.get('sortBy')) described.push(`sorted by ${out.get('sortBy')} ${out.get('direction') ?? 'desc'}`);
  return { query: out.toString(), described };
}
