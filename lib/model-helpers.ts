/** Column helpers shared by the models of every service. */
import { DataTypes, type Model, type ModelAttributeColumnOptions } from "sequelize";

/** A BIGINT auto-increment primary key that leaves the service as a string (IDs are opaque). */
export function idColumn(): ModelAttributeColumnOptions {
  return {
    type: DataTypes.BIGINT,
    autoIncrement: true,
    primaryKey: true,
    get(this: Model) {
      return asId(this.getDataValue("id" as never));
    },
  };
}

/** A BIGINT reference to another entity's id, read as a string. */
export function refColumn(field: string, allowNull = false): ModelAttributeColumnOptions {
  return {
    type: DataTypes.BIGINT,
    allowNull,
    get(this: Model) {
      return asId(this.getDataValue(field as never));
    },
  };
}

function asId(raw: unknown): string {
  return raw === null || raw === undefined ? (raw as unknown as string) : String(raw);
}

export function iso(date: Date | string | null | undefined): string | null {
  return date === null || date === undefined ? null : new Date(date).toISOString();
}
