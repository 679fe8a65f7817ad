// Where a click on a chart leads: the back office's list of the records behind the figure, filtered as the
// figure counts them (AdminJS list URLs: filters.<field>=value, filters.<field>~~from / ~~to for ranges, both
// ends inclusive, so `to` is the last millisecond before the range's exclusive end).
export interface Range {
  from: Date;
  to: Date;
}

const listUrl = (resource: string, filters: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') p.set(`filters.${k}`, String(v));
  return `/admin/resources/${resource}?${p.toString()}`;
};

const rangeFilter = (field: string, r: Range) => ({
  [`${field}~~from`]: r.from.toISOString(),
  [`${field}~~to`]: new Date(r.to.getTime() - 1).toISOString(),
});

/** Deals of one stage, created in the range when the pipeline chart covers one (else every deal of the stage). */
export const dealsOfStage = (stageId: number, range: Range | null, workspace?: string) =>
  listUrl('deals', { stage_id: stageId, workspace_id: workspace, ...(range ? rangeFilter('created_at', range) : {}) });

/** Leads created in the range, optionally of one status. */
export const leadsCreated = (range: Range, status?: string, workspace?: string) =>
  listUrl('leads', { status, workspace_id: workspace, ...rangeFilter('created_at', range) });

/** Activities of one user created in the range. */
export const activitiesOf = (userId: number, range: Range, workspace?: string) =>
  listUrl('activities', { user_id: userId, workspace_id: workspace, ...rangeFilter('created_at', range) });

/**
 * Events of one name (and page), in the range. The events list is PostgreSQL's outbox, which keeps shipped
 * events for 7 days; older ones are in ClickHouse only, so the list can hold fewer than the chart counts.
 */
export const eventsOf = (event: string, range: Range, url?: string) =>
  listUrl('events', { 'event_name~~equals': event, url, ...rangeFilter('timestamp', range) });

export const userPage = (userId: number) => `/admin/resources/users/records/${userId}/show`;
