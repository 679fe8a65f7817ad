// An AdminJS resource over the scoped data layer. AdminJS passes the action context (with currentAdmin)
// into every method, so list, count, search, show, edit, delete, bulk delete and the population of linked
// records all go through ScopedData: tenant, workspace, CASL conditions and field rules apply on every path.
import { BaseRecord, BaseResource, flat, ForbiddenError, NotFoundError, ValidationError, type ActionContext, type Filter } from 'adminjs';
import { DomainError } from '../../domain/errors';
import type { Resource } from '../../domain/resources';
import type { FilterValue, Row, ScopedData } from '../../domain/scoped-data';
import { actorOfAdmin } from './actors';
import { ScopedProperty } from './property';
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
  override toJSON(currentAdmin?: Parameters<BaseRecord['toJSON']>[0]) {
    const resource = this.resource.decorate();
    const show = resource.actions.show;
    const open = !!show && show.isVisible(currentAdmin, this) && show.isAccessible(currentAdmin, this);
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

export class ScopedResource extends BaseResource {
  private readonly props: ScopedProperty[];

  constructor(
    readonly meta: Resource,
    private readonly data: ScopedData,
  ) {
    super(meta.table);
    this.props = [...meta.columns.values()].map((c, i) => new ScopedProperty(meta, c, i));
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

  private filters(filter: Filter): Record<string, FilterValue> {
    const out: Record<string, FilterValue> = {};
    for (const [path, el] of Object.entries(filter.filters ?? {})) out[path] = el.value as FilterValue;
    return out;
  }

  override async count(filter: Filter, context?: ActionContext) {
    return this.data.count(actorOfAdmin(context?.currentAdmin), this.meta.name, { filters: this.filters(filter) }).catch(translate);
  }

  override async find(
    filter: Filter,
    options: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } },
    context?: ActionContext,
  ) {
    const perPage = options.limit ?? 10;
    const { records } = await this.data
      .list(actorOfAdmin(context?.currentAdmin), this.meta.name, {
        filters: this.filters(filter),
        sortBy: options.sort?.sortBy,
        direction: options.sort?.direction,
        perPage,
        page: Math.floor((options.offset ?? 0) / perPage) + 1,
        withTotal: false,
      })
      .catch(translate);
    const Record = context?.action?.name === 'search' ? ReferenceRecord : BaseRecord;
    return records.map((row) => new Record(toParams(this.meta, row), this));
  }

  override async findOne(id: string, context?: ActionContext) {
    try {
      return new BaseRecord(toParams(this.meta, await this.data.get(actorOfAdmin(context?.currentAdmin), this.meta.name, id)), this);
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'not_found') return null;
      return translate(err);
    }
  }

  override async findMany(ids: (string | number)[], context?: ActionContext) {
    // Asked by anything but a bulk action (which shows whole records): the linked records of a page, shown by their title.
    const linked = !!context?.action && !context.action.isBulkType();
    const fields = linked ? ['tenant_id', this.decorate().titleProperty().name()] : undefined;
    const rows = await this.data.findMany(actorOfAdmin(context?.currentAdmin), this.meta.name, ids, { fields }).catch(translate);
    return rows.map((row) => new (linked ? ReferenceRecord : BaseRecord)(toParams(this.meta, row), this));
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
