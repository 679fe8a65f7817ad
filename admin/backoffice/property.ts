// AdminJS properties derived from the Drizzle columns: type, reference, enum values, required, editable.
import { BaseProperty, type PropertyType } from 'adminjs';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Resource } from '../../domain/resources';
import { isSystemField, PERMISSIONS } from '../../schema';

/** Long text, edited in a text area. */
const LONG_TEXT = new Set(['description', 'notes', 'content', 'system_prompt', 'widget_code', 'address', 'user_agent']);

type Column = PgColumn & { enumValues?: readonly string[] };

function typeOf(col: Column, reference: string | undefined): PropertyType {
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
      return LONG_TEXT.has(col.name) ? 'textarea' : 'string';
  }
}

export class ScopedProperty extends BaseProperty {
  private readonly column: Column;
  private readonly target: string | undefined;

  constructor(resource: Resource, column: PgColumn, position: number) {
    const target = resource.references.find((r) => r.column === column.name)?.target;
    super({
      path: column.name,
      type: typeOf(column as Column, target),
      isId: column.name === 'id',
      isSortable: !['PgJsonb', 'PgJson', 'PgArray'].includes(column.columnType),
      position,
    });
    this.column = column as Column;
    this.target = target;
  }

  override reference() {
    return this.target ?? null;
  }

  override availableValues() {
    if (this.column.name === 'permissions') return [...PERMISSIONS]; // roles.permissions: text[] of known strings
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
