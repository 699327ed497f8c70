import { checkCrossFieldDeclarations } from './cross-field';
import { findProhibited } from './prohibited';
import { isObject, nonEmpty, walkProperties, type AddProblem } from './definition';

/** The payload schema: a closed JSON Schema object whose fields are titled and never prohibited. */
export function checkSchema(schema: unknown, add: AddProblem): boolean {
  if (!isObject(schema) || schema.type !== 'object' || !isObject(schema.properties)) {
    add(
      'SCHEMA_INVALID',
      'payloadSchema',
      '数据项结构须为 type 为 object 且含 properties 的 JSON Schema',
      'The payload schema must be a JSON Schema with type "object" and "properties"',
    );
    return false;
  }
  let ok = true;
  const keys = Object.keys(schema.properties);
  if (keys.length === 0) {
    add(
      'SCHEMA_INVALID',
      'payloadSchema.properties',
      '数据项结构至少须有一个字段',
      'The payload schema needs at least one field',
    );
    ok = false;
  }
  if (schema.additionalProperties !== false)
    add(
      'SCHEMA_INVALID',
      'payloadSchema.additionalProperties',
      '数据项结构须设 additionalProperties: false：目录之外的信息不得归集',
      'The payload schema must set additionalProperties: false: nothing outside the catalogue may be collected',
    );
  if (schema.required !== undefined) {
    if (!Array.isArray(schema.required) || schema.required.some((r) => typeof r !== 'string'))
      add(
        'SCHEMA_INVALID',
        'payloadSchema.required',
        'required 须为字段名数组',
        '"required" must be a list of field names',
      );
    else
      for (const r of schema.required as string[])
        if (!keys.includes(r))
          add(
            'SCHEMA_INVALID',
            'payloadSchema.required',
            `必填字段 ${r} 未在 properties 中定义`,
            `Required field ${r} is not defined in properties`,
          );
  }
  for (const [key, prop] of Object.entries(schema.properties)) {
    const path = `payloadSchema.properties.${key}`;
    if (!isObject(prop)) {
      add('SCHEMA_INVALID', path, `字段 ${key} 的定义须为对象`, `Field ${key} must be defined by an object`);
      ok = false;
      continue;
    }
    if (!nonEmpty(prop.title))
      add(
        'FIELD_TITLE_REQUIRED',
        path,
        `字段 ${key} 缺少中文名称（title）`,
        `Field ${key} needs a Chinese title`,
      );
    if (prop['x-code'] !== undefined && !nonEmpty(prop['x-code']))
      add(
        'SCHEMA_INVALID',
        `${path}.x-code`,
        `字段 ${key} 的 x-code 须为文本`,
        `x-code of field ${key} must be text`,
      );
    const aliases = prop['x-aliases'];
    if (aliases !== undefined && (!Array.isArray(aliases) || aliases.some((a) => !nonEmpty(a))))
      add(
        'SCHEMA_INVALID',
        `${path}.x-aliases`,
        `字段 ${key} 的 x-aliases 须为文本数组`,
        `x-aliases of field ${key} must be a list of names`,
      );
    if (prop['x-sensitive'] !== undefined && typeof prop['x-sensitive'] !== 'boolean')
      add(
        'SCHEMA_INVALID',
        `${path}.x-sensitive`,
        `字段 ${key} 的 x-sensitive 须为 true 或 false`,
        `x-sensitive of field ${key} must be true or false`,
      );
  }
  checkCrossFieldDeclarations(schema, add);
  for (const { key, path, prop } of walkProperties(schema, 'payloadSchema')) {
    const dataCategory = prop['x-data-category'];
    if (dataCategory !== undefined && typeof dataCategory !== 'string') {
      add(
        'SCHEMA_INVALID',
        `${path}.x-data-category`,
        `字段 ${key} 的 x-data-category 须为文本`,
        `x-data-category of field ${key} must be text`,
      );
      continue;
    }
    const match = findProhibited({
      key,
      title: typeof prop.title === 'string' ? prop.title : undefined,
      description: typeof prop.description === 'string' ? prop.description : undefined,
      aliases: Array.isArray(prop['x-aliases'])
        ? prop['x-aliases'].filter((a): a is string => typeof a === 'string')
        : [],
      dataCategory,
    });
    if (match) {
      const label = typeof prop.title === 'string' && prop.title ? `“${prop.title}”（${key}）` : key;
      const why = match.by === 'declared' ? '声明的数据类别' : `含关键词“${match.keyword ?? ''}”`;
      const whyEn = match.by === 'declared' ? 'declared data category' : `keyword "${match.keyword ?? ''}"`;
      add(
        'PROHIBITED_FIELD',
        path,
        `字段${label}属于禁止归集的信息类别“${match.category.zh}”（${why}；依据：${match.category.source}）`,
        `Field ${key} falls in the prohibited data category "${match.category.en}" (${whyEn}; basis: ${match.category.source})`,
      );
    }
  }
  return ok;
}
