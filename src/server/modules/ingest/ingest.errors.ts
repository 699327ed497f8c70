import { defineErrors } from '../../platform/errors';

/** Why a file or stream could not be taken in. Row-level problems are row outcomes, not these. */
export const IngestErrors = defineErrors({
  FILE_REQUIRED: {
    kind: 'bad_request',
    zh: '请上传文件（表单字段 file）',
    en: 'Upload a file (form field "file")',
  },
  FILE_EMPTY: { kind: 'bad_request', zh: '文件为空', en: 'The file is empty' },
  FILE_TOO_LARGE: {
    kind: 'too_large',
    zh: '文件超过上传大小限制（{limitText}），请拆分后分批上传，或使用命令行导入',
    en: 'The file exceeds the upload limit ({limitText}); split it, or import it on the command line',
  },
  FORMAT_UNSUPPORTED: {
    kind: 'bad_request',
    zh: '不支持的文件格式{hint}；请上传 .xlsx、.csv、.ndjson 或 .json 文件',
    en: 'Unsupported file format{hintEn}; upload an .xlsx, .csv, .ndjson or .json file',
  },
  ENCODING_UNSUPPORTED: {
    kind: 'bad_request',
    zh: '不支持的字符编码“{encoding}”，可选 utf-8、gb18030（含 GBK、GB2312）',
    en: 'Unsupported character encoding "{encoding}"; use utf-8 or gb18030 (which covers GBK and GB2312)',
  },
  WRONG_ENCODING: {
    kind: 'unprocessable',
    zh: '文件不是有效的 {encoding} 编码文本（约第 {offset} 字节处）；请以 UTF-8 或 GB18030 保存 CSV，或指定正确的编码',
    en: 'The file is not valid {encoding} text (near byte {offset}); save the CSV as UTF-8 or GB18030, or declare the right encoding',
  },
  NOT_TEXT: {
    kind: 'unprocessable',
    zh: '文件不是文本文件，无法按 CSV 读取',
    en: 'The file is not a text file and cannot be read as CSV',
  },
  FILE_UNREADABLE: {
    kind: 'unprocessable',
    zh: '文件无法读取：{reason}',
    en: 'The file cannot be read: {reasonEn}',
  },
  NO_HEADER_ROW: {
    kind: 'unprocessable',
    zh: '第 {row} 行看起来是数据而不是表头；文件第一行须为表头（字段中文名称或 XK_/CF_ 代码）',
    en: 'Row {row} looks like data, not a header; the first row must name the columns (Chinese field names or XK_/CF_ codes)',
  },
  UNKNOWN_HEADERS: {
    kind: 'unprocessable',
    zh: '以下表头不属于目录事项 {item}：{list}',
    en: 'These headers are not fields of catalogue item {item}: {list}',
  },
  DUPLICATE_COLUMNS: {
    kind: 'unprocessable',
    zh: '多列对应同一字段：{list}',
    en: 'Several columns map to the same field: {list}',
  },
  ITEM_REQUIRED: {
    kind: 'bad_request',
    zh: '无法从表头判断目录事项，请指定 itemCode{hint}',
    en: 'The headers do not identify the catalogue item; give itemCode{hintEn}',
  },
  ITEM_UNKNOWN: {
    kind: 'not_found',
    zh: '目录中没有事项 {item}，目录外信息不得归集',
    en: 'No catalogue item {item}; information outside the catalogue cannot be collected',
  },
  NOT_PROVIDER: {
    kind: 'forbidden',
    zh: '本部门不是目录事项 {item} 的提供部门，不能报送该事项的数据',
    en: 'Your department is not a provider of catalogue item {item} and cannot submit its data',
  },
  LAYOUT_UNKNOWN: {
    kind: 'bad_request',
    zh: '未知的表格版式“{layout}”，可选 current、legacy2016',
    en: 'Unknown layout "{layout}"; use current or legacy2016',
  },
  NO_DATA_ROWS: {
    kind: 'unprocessable',
    zh: '文件只有表头，没有数据行',
    en: 'The file has a header but no data rows',
  },
  NO_VALID_ROWS: {
    kind: 'unprocessable',
    zh: '文件中没有合格的行（{rejected} 行全部被拒绝），未入库任何记录；可下载被拒绝的行修改后重新提交',
    en: 'No valid rows in the file (all {rejected} rows rejected); nothing was stored. Download the rejected rows, fix them and submit again',
  },
  DEPARTMENT_REQUIRED: {
    kind: 'bad_request',
    zh: '平台管理员代部门报送时须指明 departmentId',
    en: 'An administrator submitting for a department must give departmentId',
  },
  BATCH_NOT_FOUND: { kind: 'not_found', zh: '批次 {batch} 不存在', en: 'Batch {batch} not found' },
  BATCH_STALLED: {
    kind: 'bad_request',
    zh: '超过 {seconds} 秒没有收到数据，批次已终止，未入库任何记录；请重新提交',
    en: 'No data arrived for more than {seconds} s; the batch was stopped and nothing was stored. Submit it again',
  },
  BATCH_ABANDONED: {
    kind: 'unavailable',
    zh: '批次处理中断（进程退出或数据库连接断开），未入库任何记录；请重新提交同一文件',
    en: 'The batch was interrupted (the process stopped or lost its database connection); nothing was stored. Submit the same file again',
  },
});

export type IngestErrorCode = keyof typeof IngestErrors;
