/** Vocabulary for realistic, clearly fictitious demo names in 渝中区. */
export const TRADE_NAMES = [
  '鸿药', '嘉陵', '朝天', '解放', '山城', '巴渝', '渝信', '长江', '两江', '鹅岭', '佛图', '李子坝', '洪崖', '十八梯',
  '白象', '通远', '菜园', '大坪', '化龙', '石油', '上清', '七星', '南纪', '望龙', '储奇', '金汤', '较场', '民生',
  '华瑞', '德润', '恒信', '泰和', '永盛', '鑫达', '锦程', '宏图', '博远', '启航', '安诚', '正衡', '明远', '致远',
  '翰林', '新桥', '天元', '中渝', '渝美', '瑞丰', '汇通', '兴隆', '益民', '康泰', '顺达', '聚源', '同心', '立信',
  '晨曦', '蓝天', '青山', '云阶', '星辰', '蜀道', '凯旋', '茂源', '庆丰', '宝成', '维新', '和泰', '嘉禾', '鼎盛',
] as const;

export const INDUSTRIES = [
  ['医药', '有限公司'], ['商贸', '有限公司'], ['科技', '有限公司'], ['建筑工程', '有限公司'], ['餐饮管理', '有限公司'],
  ['物业管理', '有限公司'], ['文化传媒', '有限公司'], ['房地产开发', '有限公司'], ['食品', '有限公司'], ['物流', '有限公司'],
  ['信息技术', '有限公司'], ['装饰工程', '有限公司'], ['酒店管理', '有限公司'], ['教育咨询', '有限公司'], ['劳务', '有限公司'],
  ['环保科技', '股份有限公司'], ['实业', '集团有限公司'], ['健康管理', '有限公司'], ['旅游开发', '有限公司'], ['金融服务', '有限公司'],
] as const;

export const SHOPS = ['火锅店', '小面馆', '便利店', '药房', '茶馆', '理发店', '水果店', '五金店', '干洗店', '烧烤店', '副食店', '书店'] as const;

export const STREETS = [
  '七星岗街道', '解放碑街道', '两路口街道', '上清寺街道', '菜园坝街道', '南纪门街道', '朝天门街道', '大溪沟街道',
  '大坪街道', '化龙桥街道', '石油路街道',
] as const;

export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '罗', '高', '林'] as const;
export const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '华', '建国', '小红', '志强', '海燕', '堃', '𠮷祥'] as const;

export const COOPS = ['蔬菜种植', '柑橘种植', '生猪养殖', '茶叶', '中药材', '农机服务'] as const;
export const SOCIAL = [
  ['渝中区', '餐饮行业协会', '51'], ['渝中区', '律师协会', '51'], ['渝中区', '老年大学', '52'], ['重庆', '慈善基金会', '53'],
  ['渝中区', '社区养老服务中心', '52'], ['渝中区', '青少年足球协会', '51'],
] as const;
export const INSTITUTIONS = ['第一人民医院', '实验学校', '图书馆', '文化馆', '社区卫生服务中心', '职业教育中心', '档案馆', '疾病预防控制中心'] as const;

/** The district's departments: [key, name, English name, org-code body (8 characters)]. */
export const DEPARTMENTS = [
  ['fgw', '重庆市渝中区发展和改革委员会', 'Development and Reform Commission', 'MB150001'],
  ['scjg', '重庆市渝中区市场监督管理局', 'Market Regulation Administration', 'MB150002'],
  ['sw', '国家税务总局重庆市渝中区税务局', 'Taxation Bureau', 'MB150003'],
  ['sthj', '重庆市渝中区生态环境局', 'Ecology and Environment Bureau', 'MB150004'],
  ['zjw', '重庆市渝中区住房和城乡建设委员会', 'Housing and Urban-Rural Development Commission', 'MB150005'],
  ['jtw', '重庆市渝中区交通运输委员会', 'Transport Commission', 'MB150006'],
  ['wjw', '重庆市渝中区卫生健康委员会', 'Health Commission', 'MB150007'],
  ['rs', '重庆市渝中区人力资源和社会保障局', 'Human Resources and Social Security Bureau', 'MB150008'],
  ['yj', '重庆市渝中区应急管理局', 'Emergency Management Bureau', 'MB150009'],
  ['cg', '重庆市渝中区城市管理局', 'Urban Management Bureau', 'MB150010'],
  ['wlw', '重庆市渝中区文化和旅游发展委员会', 'Culture and Tourism Commission', 'MB150011'],
  ['jw', '重庆市渝中区教育委员会', 'Education Commission', 'MB150012'],
  ['swj', '重庆市渝中区商务委员会', 'Commerce Commission', 'MB150013'],
  ['mz', '重庆市渝中区民政局', 'Civil Affairs Bureau', 'MB150014'],
  ['sfj', '重庆市渝中区司法局', 'Justice Bureau', 'MB150015'],
  ['ga', '重庆市公安局渝中区分局', 'Public Security Sub-bureau', 'MB150016'],
  ['cz', '重庆市渝中区财政局', 'Finance Bureau', 'MB150017'],
  ['gzj', '重庆市渝中区规划和自然资源局', 'Planning and Natural Resources Bureau', 'MB150018'],
  ['xf', '重庆市渝中区消防救援支队', 'Fire and Rescue Detachment', 'MB150019'],
  ['fy', '重庆市渝中区人民法院', "People's Court", 'MB150020'],
  ['yb', '重庆市渝中区医疗保障局', 'Healthcare Security Bureau', 'MB150021'],
  ['nyw', '重庆市渝中区农业农村委员会', 'Agriculture and Rural Affairs Commission', 'MB150022'],
  ['kj', '重庆市渝中区科学技术局', 'Science and Technology Bureau', 'MB150023'],
] as const;
