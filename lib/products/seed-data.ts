/**
 * The vocabulary of the demo catalog, in Chinese: categories (with their English names) and the
 * goods they sell, their selling points and typical prices, invented brands, styles, colours,
 * materials and uses. lib/products/seed.ts combines them deterministically into products with
 * names and descriptions as a Chinese shop writes them, mixed with the Latin words such shops use
 * (`4K`, `Type-C`, `GPS`).
 */

/** "a|b|c" → ["a", "b", "c"]: keeps long word lists on one line each. */
function list(words: string): string[] {
  return words.split("|");
}

export interface CategorySeed {
  /** The Chinese name (categories.name). */
  name: string;
  /** The English name (categories.nameEn); the slug is made from it. */
  nameEn: string;
  /** Goods sold in the category (the heart of a product's name) as "name~typical price in yuan". */
  goods: string[];
  /** Selling points, used in descriptions. */
  features: string[];
}

/** Categories that cut across the others (a product may also belong to them). */
export const GIFT_CATEGORY = "礼品推荐";
export const ECO_CATEGORY = "环保好物";

export const CATEGORIES: CategorySeed[] = [
  {
    name: "手机通讯",
    nameEn: "Smartphones",
    goods: list(
      "5G智能手机~3999|手机壳~79|钢化膜~39|无线充电器~149|充电宝~199|手机支架~59|Type-C数据线~39|车载手机支架~89",
    ),
    features: list(
      "120Hz OLED高刷屏|65W超级快充|光学变焦三摄|磁吸无线充电|两米防摔认证|5000mAh大电池|双卡双待|双面康宁大猩猩玻璃",
    ),
  },
  {
    name: "电脑办公",
    nameEn: "Laptops & Computers",
    goods: list(
      "轻薄笔记本电脑~6999|机械键盘~499|无线鼠标~149|4K显示器~1999|笔记本支架~199|USB扩展坞~159|高清摄像头~399|移动固态硬盘~699",
    ),
    features: list(
      "背光键盘|14英寸2.8K屏幕|全铝合金机身|热插拔轴体|人体工学弧度|雷电4接口|1TB高速存储|1080P自动对焦",
    ),
  },
  {
    name: "影音耳机",
    nameEn: "Audio & Headphones",
    goods: list(
      "头戴式降噪耳机~1299|无线蓝牙耳机~699|蓝牙音箱~499|回音壁音响~1499|黑胶唱片机~1999|电容麦克风~599|解码耳放~899|有源监听音箱~2499",
    ),
    features: list(
      "主动降噪|40小时超长续航|LDAC高解析音质|IPX7级防水|记忆棉耳罩|蓝牙5.3多点连接|内置唱头放大|澎湃低音",
    ),
  },
  {
    name: "摄影摄像",
    nameEn: "Cameras & Photo",
    goods: list(
      "微单相机~8999|运动相机~2499|定焦镜头~3999|三脚架~399|相机包~299|补光灯~199|高速存储卡~129|拍立得相机~599",
    ),
    features: list(
      "机身五轴防抖|4K 60帧视频|F1.8大光圈|碳纤维脚管|防尘防滴溅|翻转自拍屏|V30高速读写|可调色温LED",
    ),
  },
  {
    name: "智能家居",
    nameEn: "Smart Home",
    goods: list(
      "智能插座~69|扫地机器人~2999|可视门铃~599|智能灯泡~59|家用监控摄像头~299|智能温控器~899|Wi-Fi 6路由器~599|指纹密码锁~1499",
    ),
    features: list(
      "支持小爱小度语音控制|激光导航避障|红外夜视|1600万色调光|本地存储免订阅|电量统计|全屋Mesh组网|指纹秒开",
    ),
  },
  {
    name: "游戏电竞",
    nameEn: "Gaming",
    goods: list(
      "游戏手柄~399|电竞耳机~599|电竞椅~1599|电竞鼠标~299|加厚鼠标垫~99|掌上游戏机~2999|赛车方向盘~2499|视频采集卡~999",
    ),
    features: list(
      "霍尔摇杆不漂移|26000DPI传感器|RGB炫彩灯效|腰枕头枕|2.4G低延迟无线|力反馈|7英寸触控屏|4K直通",
    ),
  },
  {
    name: "智能穿戴",
    nameEn: "Wearables",
    goods: list(
      "智能手表~1999|运动手环~299|智能戒指~1999|表带~99|户外运动手表~2499|儿童电话手表~599|智能眼镜~2999|心率带~399",
    ),
    features: list(
      "GPS与心率监测|睡眠与压力监测|钛合金表壳|14天超长续航|50米防水|NFC刷卡支付|血氧检测|快拆表带",
    ),
  },
  {
    name: "家用电器",
    nameEn: "Home Appliances",
    goods: list(
      "空气净化器~1999|空气炸锅~499|无线吸尘器~1999|除湿机~1299|落地扇~299|加湿器~299|挂烫机~299|净水器~2499",
    ),
    features: list(
      "HEPA高效滤网|静音运行|5.5升大容量|无线手持|APP定时控制|节能模式|自动断电|RO反渗透过滤",
    ),
  },
  {
    name: "厨房餐饮",
    nameEn: "Kitchen & Dining",
    goods: list(
      "大马士革厨刀~399|铸铁锅~299|电饭煲~699|磨豆机~499|实木砧板~129|不粘炒锅~259|陶瓷餐具套装~399|电热水壶~199",
    ),
    features: list(
      "大马士革钢锻造|免开锅|智能预约煮饭|40档研磨粗细|相思木整木|受热均匀|可洗碗机清洗|精准控温",
    ),
  },
  {
    name: "家具",
    nameEn: "Furniture",
    goods: list(
      "人体工学椅~1599|电动升降桌~2999|书架~899|布艺沙发~5999|茶几~1299|实木床架~2999|餐椅~599|电视柜~1299",
    ),
    features: list(
      "北美黑胡桃木|电动升降|透气网布|免工具安装|耐刮橡木饰面|丝绒面料|承重150公斤|隐藏式理线",
    ),
  },
  {
    name: "家居装饰",
    nameEn: "Home Decor",
    goods: list(
      "护眼台灯~199|静音挂钟~159|香薰蜡烛~89|陶瓷花瓶~149|抱枕~99|相框~69|客厅地毯~699|装饰镜~399",
    ),
    features: list(
      "暖光无级调光|静音扫秒机芯|大豆蜡棉芯|手工釉面陶瓷|亚麻混纺面料|天然橡木|短绒编织|拉丝黄铜边框",
    ),
  },
  {
    name: "床品卫浴",
    nameEn: "Bedding & Bath",
    goods: list(
      "蚕丝被~799|乳胶枕~199|纯棉四件套~499|浴巾~99|浴袍~299|记忆棉床垫~899|浴帘~99|重力毯~599",
    ),
    features: list(
      "新疆长绒棉|竹纤维莱赛尔|防螨抗菌填充|600克重毛圈|凝胶记忆棉|防霉处理|透气府绸|玻璃珠均匀分布",
    ),
  },
  {
    name: "女装",
    nameEn: "Women's Clothing",
    goods: list(
      "连衣裙~399|衬衫~259|针织开衫~359|风衣~1299|牛仔裤~299|半身裙~229|连帽卫衣~259|羽绒服~1199",
    ),
    features: list(
      "宽松版型|桑蚕丝|美利奴羊毛针织|防泼水棉质|弹力牛仔|显瘦A字裙摆|内里加绒|90%白鸭绒填充",
    ),
  },
  {
    name: "男装",
    nameEn: "Men's Clothing",
    goods: list(
      "牛津纺衬衫~259|休闲裤~299|POLO衫~199|羊毛衫~599|冲锋衣~799|纯棉T恤~99|西装外套~1299|工装裤~299",
    ),
    features: list(
      "修身剪裁|有机棉透气|免烫处理|压胶防水外壳|重磅精梳棉|意大利羊毛|加固口袋|弹力腰头",
    ),
  },
  {
    name: "鞋靴",
    nameEn: "Shoes",
    goods: list(
      "跑步鞋~699|运动鞋~499|登山鞋~999|乐福鞋~699|凉鞋~199|拖鞋~79|切尔西靴~899|越野跑鞋~799",
    ),
    features: list(
      "高回弹缓震中底|头层牛皮|Vibram大底|GORE-TEX防水|软垫鞋床|飞织透气鞋面|防滑橡胶大底|再生环保材料",
    ),
  },
  {
    name: "箱包",
    nameEn: "Bags & Luggage",
    goods: list(
      "双肩包~399|登机箱~999|托特包~199|旅行袋~499|邮差包~399|钱包~199|斜挎包~299|电脑内胆包~129",
    ),
    features: list(
      "16英寸电脑隔层|PC硬壳箱体|油蜡帆布|TSA海关锁|植鞣牛皮|RFID防盗刷|万向静音轮|防水再生尼龙",
    ),
  },
  {
    name: "珠宝配饰",
    nameEn: "Jewelry & Watches",
    goods: list("项链~599|耳环~299|手链~399|戒指~499|机械手表~3999|吊坠~459|袖扣~299|脚链~159"),
    features: list(
      "925纯银|18K镀金|淡水珍珠|蓝宝石镜面|日本自动机芯|钛钢防过敏|手工抛光|可调节链长",
    ),
  },
  {
    name: "美妆护肤",
    nameEn: "Beauty & Skincare",
    goods: list(
      "精华液~299|保湿面霜~199|防晒霜~129|氨基酸洁面乳~99|口红~199|眼霜~259|补水面膜~79|负离子吹风机~899",
    ),
    features: list(
      "玻尿酸|维C烟酰胺|SPF50+高倍防晒|温和氨基酸配方|持久丝绒哑光|咖啡因多肽|积雪草舒缓|负离子护发",
    ),
  },
  {
    name: "个护健康",
    nameEn: "Health & Personal Care",
    goods: list(
      "电动牙刷~399|筋膜枪~599|冲牙器~299|电子体温计~99|电子血压计~299|电动剃须刀~599|足部按摩器~699|体脂秤~149",
    ),
    features: list(
      "两分钟智能计时|六档可换按摩头|300毫升大水箱|一秒快速测温|临床验证精准|干湿两用|加热指压滚轮|人体成分分析",
    ),
  },
  {
    name: "运动户外",
    nameEn: "Sports & Outdoors",
    goods: list(
      "瑜伽垫~159|露营帐篷~899|睡袋~499|可调节哑铃~599|公路自行车~6999|登山杖~299|保温杯~129|户外吊床~199",
    ),
    features: list(
      "天然橡胶防滑|双人自立式设计|零下5度舒适温标|快调重量|轻量碳纤维车架|软木握把|双层真空保温|降落伞尼龙",
    ),
  },
  {
    name: "玩具乐器",
    nameEn: "Toys & Games",
    goods: list(
      "拼装积木~499|桌游~199|拼图~99|遥控汽车~299|毛绒玩具~99|航拍无人机~2999|科学实验套装~199|木制小火车~299",
    ),
    features: list(
      "超过1000块颗粒|2至6人聚会游戏|1000片精切拼图|四驱越野|超柔短毛绒|4K航拍与GPS返航|20个动手实验|可持续山毛榉木",
    ),
  },
  {
    name: "图书文具",
    nameEn: "Books & Stationery",
    goods: list(
      "笔记本~49|钢笔~299|手帐本~89|速写本~69|桌面收纳盒~129|书法套装~199|家常菜谱~89|长篇小说~49",
    ),
    features: list(
      "100克不洇墨纸张|精钢细笔尖|周计划排版|无酸加厚纸张|实木竹制隔层|毛笔与砚台|150道家常菜|扣人心弦的故事",
    ),
  },
  {
    name: "宠物用品",
    nameEn: "Pet Supplies",
    goods: list(
      "狗窝~299|猫爬架~499|宠物饮水机~199|牵引绳~89|自动喂食器~399|猫砂盆~299|磨牙玩具~49|宠物航空箱~299",
    ),
    features: list(
      "记忆棉护脊|剑麻猫抓柱|三重过滤|夜间反光|APP定量喂食|防臭密封盖|耐咬天然橡胶|符合航空托运尺寸",
    ),
  },
  {
    name: "茶饮咖啡",
    nameEn: "Tea & Coffee",
    goods: list(
      "安溪铁观音~199|西湖龙井~159|意式咖啡豆~129|手冲壶~299|功夫茶具~599|法压壶~199|抹茶粉~159|冷萃杯~199",
    ),
    features: list(
      "福建高山手工采摘|西湖明前春茶|中度烘焙单一产区|细长鹅颈壶嘴|宜兴紫砂|双层玻璃|石磨仪式级抹茶|细密滤网",
    ),
  },
  {
    name: GIFT_CATEGORY,
    nameEn: "Gift Ideas",
    goods: list("礼盒~299|礼品卡套~99|节日礼篮~499"),
    features: list("附赠精美礼品包装"),
  },
  {
    name: ECO_CATEGORY,
    nameEn: "Eco-Friendly",
    goods: list("环保购物袋~49|厨余堆肥桶~199|蜂蜡保鲜布~69"),
    features: list("无塑料包装"),
  },
];

export const BRANDS = list(
  "极光|青禾|木语|拾光|山海|云栖|北辰|南风|星河|竹语|小鹿|白鹭|远山|初见|素简|知味|朗境|悦动|乐享|匠心|墨白|青松|麦田|半岛|西子|东篱|锦鲤|听雨|鹿鸣|望舒|米粒|大橙子|森屿|暖阳|蓝鲸|Kestrel|Lumen|Nordhaven|Zenith|Xingyun",
);

export const STYLES = list(
  "经典款|迷你款|豪华款|基础款|轻量款|极简款|高端款|专业版|复古款|旗舰款|日常款|Pro|Max|国潮款|现代款|工作室款|旅行款|都市款|北欧风|手作款",
);

export const COLOURS = list(
  "曜石黑|珍珠白|深空灰|燕麦色|橄榄绿|藏青|酒红|鼠尾草绿|陶土红|象牙白|雾霾蓝|森林绿|樱花粉|胡桃色|星光银",
);

/** Materials whose products also belong to ECO_CATEGORY. */
export const ECO_MATERIALS = list("竹制|再生|有机|软木|汉麻");

export const MATERIALS = list(
  "竹制|再生|有机|软木|汉麻|胡桃木|橡木|不锈钢|陶瓷|亚麻|真皮|铝合金|钛合金|纯棉|玻璃|羊毛",
);

export const USES = list(
  "小户型与忙碌的早晨都适用|生日、春节送礼的贴心之选|经久耐用，陪伴每一天|杭州设计，用户社群实测|出差、办公、周末宅家皆宜|学生、创作者和家庭都喜爱|易清洁，好收纳|两年质保，七天无理由退货",
);
