// An AdminJS resource over the scoped data layer. AdminJS passes the action context (with currentAdmin)
// into every method, so list, count, search, show, edit, delete, bulk delete and the population of linked
// records all go through ScopedData: tenant, workspace, CASL conditions and field rules apply on every path.
import { BaseProperty, BaseRecord, BaseResource, flat, ForbiddenError, NotFoundError, ValidationError, type ActionContext, type Filter } from 'adminjs';
import { DomainError } from '../../domain/errors';
import type { Resource } from '../../domain/resources';
import { RESTRICTED, TITLE, type Actor, type FilterValue, type Row, type ScopedData } from '../../domain/scoped-data';
import { actorOfAdmin } from './actors';
import { ScopedProperty, TitleProperty } from './property';
import { isSystemField } from '../../schema';

/** Values as AdminJS shows them: JSON pretty-printed for its text editor, dates as ISO strings. */
function toParams(r: Resource, row: Row): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const type = r.columns.get(key)?.columnType;
    params[key] = (type === 'PgJsonb' || type === 'PgJson') && value !== null ? JSON.stringify(value, null, 2) : value;
  }
  return flat.flatten(params);
}

/** A form submission back into column values: arrays unflattened, AdminJS's own keys dropped. */
function fromParams(r: Resource, params: Record<string, unknown>): Row {
  const values = flat.unflatten(params) as Row;
  const out: Row = {};
  for (const [key, value] of Object.entries(values)) {
    if (!r.columns.has(key) || isSystemField(key)) continue;
    if (key === 'password' && (value === '' || value === undefined)) continue; // left blank: keep the current one
    out[key] = r.columns.get(key)!.columnType === 'PgArray' && value === undefined ? [] : value;
  }
  return out;
}

/** DomainErrors in the form AdminJS shows: field messages on the form, 403 and 404 as such. */
function translate(err: unknown): never {
  if (!(err instanceof DomainError)) throw err;
  if (err.kind === 'forbidden' || err.kind === 'unauthenticated') throw new ForbiddenError(err.message);
  if (err.kind === 'not_found') throw new NotFoundError(err.message, 'record');
  const fields = Object.fromEntries(Object.entries(err.fields).map(([k, message]) => [k, { message }]));
  throw new ValidationError(fields, { message: err.message });
}

/**
 * A record shown as a reference: a linked record on another record's page (AdminJS's population, read with
 * its id, title and tenant only), or an option of a reference dropdown (the search action). Its title links
 * to its show page when the user may open it, so its JSON carries that one action, not every record and bulk
 * action a record of its own page needs (ten rows with eight references each made a list page ~120 kB and
 * spent most of its time deciding actions nobody sees; a search, fifty times).
 */
class ReferenceRecord extends BaseRecord {
  /** A record the actor may not read: its title says so, and it links nowhere. */
  restricted = false;

  override toJSON(currentAdmin?: Parameters<BaseRecord['toJSON']>[0]) {
    const resource = this.resource.decorate();
    const show = resource.actions.show;
    // (It came through the scoped layer's read: its partial params need not carry what the read rules look at.)
    const open = !this.restricted && !!show && show.isVisible(currentAdmin, this) && actorOfAdmin(currentAdmin).ability.can('read', resource.id());
    return {
      params: this.params,
      populated: {},
      baseError: this.baseError,
      errors: this.errors,
      id: this.id(),
      title: resource.titleOf(this),
      recordActions: open ? [show.toJSON(currentAdmin)] : [],
      bulkActions: [],
    };
  }
}

/** Whether AdminJS populates the record an action finds (its page shows the linked records): show and edit. */
const populates = (context?: ActionContext) => context?.action?.name === 'show' || context?.action?.name === 'edit';

export class ScopedResource extends BaseResource {
  private readonly props: BaseProperty[];

  constructor(
    readonly meta: Resource,
    private readonly data: ScopedData,
  ) {
    super(meta.table);
    this.props = [...meta.columns.values()].map((c, i) => new ScopedProperty(meta, c, i));
    this.props.push(new TitleProperty(this.props.length));
  }

  /**
   * AdminJS looks each form key up in a plain object of properties: a key part such as `constructor` finds
   * Object's own member and AdminJS throws a TypeError (a 500). Such a key names no field.
   */
  override assignDecorator(...args: Parameters<BaseResource['assignDecorator']>) {
    super.assignDecorator(...args);
    const decorator = this.decorate();
    const find = decorator.getPropertyByKey.bind(decorator);
    decorator.getPropertyByKey = (key: string) => (key.split('.').some((part) => part in Object.prototype) ? null : find(key));
  }

  override databaseName() {
    return 'epesi';
  }

  override databaseType() {
    return 'postgresql';
  }

  override id() {
    return this.meta.name;
  }

  override properties() {
    return this.props;
  }

  override property(path: string) {
    return this.props.find((p) => p.path() === path) ?? null;
  }

  /** The filters, and the title's (a dropdown's typed text, the quick search) as free text over the search fields. */
  private query(filter: Filter): { filters: Record<string, FilterValue>; q?: string } {
    const filters: Record<string, FilterValue> = {};
    let q: string | undefined;
    for (const [path, el] of Object.entries(filter.filters ?? {})) {
      if (path === TITLE) q = String(el.value);
      else filters[path] = el.value as FilterValue;
    }
    return { filters, q };
  }

  /** The total each request's list page came with, for AdminJS's count of the same filter right after it. */
  private readonly totals = new WeakMap<Actor, { query: string; total: number }>();

  override async count(filter: Filter, context?: ActionContext) {
    const actor = actorOfAdmin(context?.currentAdmin);
    const query = this.query(filter);
    const known = this.totals.get(actor);
    if (known && known.query === JSON.stringify(query)) return known.total;
    return this.data.count(actor, this.meta.name, query).catch(translate);
  }

  override async find(
    filter: Filter,
    options: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } },
    context?: ActionContext,
  ) {
    const perPage = options.limit ?? 10;
    const dropdown = context?.action?.name === 'search';
    // A dropdown lists records in their natural order (a stage after its pipeline and order); a list sorted by
    // the title sorts by its first field.
    const sortBy = options.sort?.sortBy === TITLE ? this.meta.title.fields[0] : dropdown && this.meta.order.length ? undefined : options.sort?.sortBy;
    const actor = actorOfAdmin(context?.currentAdmin);
    const query = this.query(filter);
    const { records, total } = await this.data
      .list(actor, this.meta.name, {
        ...query,
        sortBy,
        direction: options.sort?.direction,
        perPage,
        page: Math.floor((options.offset ?? 0) / perPage) + 1,
        // A list's total comes in the page's own statement (AdminJS asks for it next); a dropdown has none.
        withTotal: !dropdown,
        titles: true,
        // The linked records' titles in the same statement: AdminJS's population right after reads them there.
        linked: !dropdown,
        natural: dropdown,
      })
      .catch(translate);
    if (!dropdown) this.totals.set(actor, { query: JSON.stringify(query), total });
    const Record = dropdown ? ReferenceRecord : BaseRecord;
    return records.map((row) => new Record(toParams(this.meta, row), this));
  }

  override async findOne(id: string, context?: ActionContext) {
    try {
      return new BaseRecord(toParams(this.meta, await this.data.get(actorOfAdmin(context?.currentAdmin), this.meta.name, id, { title: true, linked: populates(context) })), this);
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'not_found') return null;
      return translate(err);
    }
  }

  override async findMany(ids: (string | number)[], context?: ActionContext) {
    // Asked by anything but a bulk action (which shows whole records): the linked records of a page, shown by
    // their title; one the user may not read (a colleague of another workspace) reads "Restricted", and
    // nothing of it travels but the id its referrer already holds.
    const linked = !!context?.action && !context.action.isBulkType();
    const actor = actorOfAdmin(context?.currentAdmin);
    if (linked && !actor.ability.can('read', this.meta.name)) return ids.map((id) => this.restricted(id));
    const rows = await this.data.findMany(actor, this.meta.name, ids, { fields: linked ? [] : undefined, title: true }).catch(translate);
    if (!linked) return rows.map((row) => new BaseRecord(toParams(this.meta, row), this));
    const found = new Map(rows.map((row) => [String(row.id), new ReferenceRecord(toParams(this.meta, row), this)]));
    return ids.map((id) => found.get(String(id)) ?? this.restricted(id));
  }

  private restricted(id: string | number): ReferenceRecord {
    const record = new ReferenceRecord({ id, [TITLE]: RESTRICTED }, this);
    record.restricted = true;
    return record;
  }

  override async create(params: Record<string, unknown>, context?: ActionContext) {
    const row = await this.data.create(actorOfAdmin(context?.currentAdmin), this.meta.name, fromParams(this.meta, params)).catch(translate);
    return toParams(this.meta, row);
  }

  override async update(id: string, params: Record<string, unknown>, context?: ActionContext) {
    const row = await this.data.update(actorOfAdmin(context?.currentAdmin), this.meta.name, id, fromParams(this.meta, params)).catch(translate);
    return toParams(this.meta, row);
  }

  override async delete(id: string, context?: ActionContext) {
    await this.data.remove(actorOfAdmin(context?.currentAdmin), this.meta.name, id).catch(translate);
  }
}
