import { Type } from 'typebox';
import { Nullable } from '../../platform/schema';

const Hex = (description: string) => Type.String({ pattern: '^[0-9a-f]*$', description });
const Suite = Type.Enum(['sha256-ed25519', 'sm3-sm2']);
const NullableString = (description: string) => Nullable(Type.String(), { description });

export const CheckpointSchema = Type.Object({
  origin: Type.String({ description: '日志标识 / log origin' }),
  treeSize: Type.Integer({ description: '树大小（叶子数）/ number of leaves' }),
  rootHash: Hex('根哈希 / root hash'),
  keyName: Type.String(),
  keyId: Hex('C2SP 密钥 ID / key ID'),
  suite: Suite,
  createdAt: Type.String(),
  note: Type.String({ description: 'C2SP 签名检查点全文 / the signed note, as published' }),
});

export const CheckpointQuery = Type.Object(
  { format: Type.Enum(['text', 'json'], { default: 'text' }) },
  { additionalProperties: false },
);

export const CheckpointsQuery = Type.Object(
  {
    from: Type.Integer({ minimum: 1, default: 1, description: '最小树大小 / smallest tree size' }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);

export const InclusionQuery = Type.Object(
  {
    seq: Type.Integer({ minimum: 1, description: '事件序号 / event seq' }),
    treeSize: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: '树大小，默认最新检查点 / tree size, default: the latest checkpoint',
      }),
    ),
  },
  { additionalProperties: false },
);

export const InclusionSchema = Type.Object({
  suite: Suite,
  seq: Type.Integer(),
  leafIndex: Type.Integer(),
  treeSize: Type.Integer(),
  leaf: NullableString(
    '叶子规范 JSON（UTF-8 即叶子字节）；事件已不在库中或对调用方隐去时为 null / canonical JSON of the leaf, ' +
      'its UTF-8 bytes are hashed; null when the event is gone from the database or withheld from the caller',
  ),
  leafWithheld: Type.Boolean({
    description:
      '叶子元数据对调用方隐去（仅审计员、平台管理员、事件的主体本人及写入者可见）/ the leaf metadata is withheld ' +
      'from this caller (shown to auditors, platform administrators, the subject of the event and its writer)',
  }),
  leafHash: Hex('树中记录的叶子哈希 / the leaf hash recorded in the tree'),
  auditPath: Type.Array(Hex('RFC 6962 审计路径 / audit path')),
  rootHash: Hex(
    '该大小的树根（请以签名检查点为准）/ root at treeSize (trust the signed checkpoint, not this)',
  ),
  checkpoint: NullableString('该大小的签名检查点 / signed checkpoint at treeSize, if one exists'),
});

export const ConsistencyQuery = Type.Object(
  { first: Type.Integer({ minimum: 1 }), second: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export const ConsistencySchema = Type.Object({
  suite: Suite,
  first: Type.Integer(),
  second: Type.Integer(),
  firstRoot: Hex('first 的树根 / root at first'),
  secondRoot: Hex('second 的树根 / root at second'),
  proof: Type.Array(Hex('RFC 6962 一致性证明 / consistency proof')),
  firstCheckpoint: NullableString('signed checkpoint at first, if one exists'),
  secondCheckpoint: NullableString('signed checkpoint at second, if one exists'),
});

export const EntriesQuery = Type.Object(
  {
    from: Type.Integer({ minimum: 1, default: 1, description: '起始事件序号 / first seq' }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);

export const EntriesSchema = Type.Object({
  treeSize: Type.Integer(),
  entries: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      leafIndex: Type.Integer(),
      leaf: NullableString(
        '叶子规范 JSON（不含事件内容，只含其哈希）/ canonical leaf JSON: metadata and payload hash only',
      ),
      leafHash: Hex('树中记录的叶子哈希 / leaf hash recorded in the tree'),
    }),
  ),
});

export const LogKeysSchema = Type.Object({
  origin: Type.String(),
  suite: Suite,
  keys: Type.Array(
    Type.Object({
      name: Type.String(),
      keyId: Hex('C2SP key ID'),
      suite: Suite,
      algorithm: Type.String(),
      vkey: Type.String({ description: 'C2SP/Go note verifier key: <name>+<key ID>+<base64(type ‖ key)>' }),
      publicKey: Type.String({ description: 'base64: raw 32 bytes (Ed25519) or SPKI DER (SM2)' }),
      publicKeyPem: Type.String(),
    }),
  ),
});
