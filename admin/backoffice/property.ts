// AdminJS properties derived from the Drizzle columns: type, reference, enum values, required, editable;
// long text and known value sets from the screen spec (./resources/).
import { BaseProperty, type PropertyType } from 'adminjs';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Resource } from '../../domain/resources';
import { isSystemField } from '../../schema';
import { TITLE } from '../../domain/scoped-data';
import { screenOf } from './resources';
import type { ScreenSpec } from './resources/spec';


type Column = PgColumn & { enumValues?: readonly string[] };

function typeOf(col: Column, reference: string | undefined, screen: ScreenSpec): PropertyType {
  if (reference) return 'reference';
  switch (col.columnType) {
    case 'PgSerial':
    case 'PgInteger':
    case 'PgBigSerial53':
      return 'number';
    case 'PgNumeric':
      return 'float';
    case 'PgBoolean':
      return 'boolean';
    case 'PgDateString':
      return 'date';
    case 'PgTimestamp':
      return 'datetime';
    case 'PgJsonb':
    case 'PgJson':
      return 'textarea'; // edited as JSON text, validated on save (domain/validation.ts)
    default:
      if (col.name === 'password') return 'password';
      return screen.longText?.includes(col.name) ? 'textarea' : 'string'; // long text: a text area
  }
}

export class ScopedProperty extends BaseProperty {
  private readonly column: Column;
  private readonly target: string | undefined;
  private readonly choices: readonly string[] | undefined;

  constructor(resource: Resource, column: PgColumn, position: number) {
    const target = resource.references.find((r) => r.column === column.name)?.target;
    const screen = screenOf(resource.name);
    super({
      path: column.name,
      type: typeOf(column as Column, target, screen),
      isId: column.name === 'id',
      isSortable: !['PgJsonb', 'PgJson', 'PgArray'].includes(column.columnType),
      position,
    });
    this.column = column as Column;
    this.target = target;
    this.choices = screen.choices?.[column.name];
  }

  override reference() {
    return this.target ?? null;
  }

  /** No column names a record by itself (AdminJS would guess "email"): the title is `__title`'s. */
  override isTitle() {
    return false;
  }

  override availableValues() {
    if (this.choices) return [...this.choices]; // a text[] of known strings (roles.permissions)
    return this.column.enumValues?.length ? [...this.column.enumValues] : null;
  }

  override isArray() {
    return this.column.columnType === 'PgArray';
  }

  override isEditable() {
    return !isSystemField(this.column.name); // shown, never edited
  }

  override isRequired() {
    return this.column.notNull && !this.column.hasDefault && !isSystemField(this.column.name);
  }
}

/**
 * A record's title (`__title`, composed by the scoped layer from its spec: "Ann Smith", "Sales · Qualified"):
 * AdminJS's title property, so every reference, dropdown and heading reads it. No column: never edited.
 */
export class TitleProperty extends BaseProperty {
  constructor(position: number) {
    super({ path: TITLE, type: 'string', isId: false, isSortable: true, position });
  }

  override isEditable() {
    return false;
  }

  override isTitle() {
    return true;
  }
}
