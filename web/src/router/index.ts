import { createRouter, createWebHistory } from 'vue-router'
import { useSession } from '../stores/session'

// Each page is its own chunk: the login page does not carry the others.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('../views/login/LoginView.vue'), meta: { public: true, title: '登录' } },
    {
      path: '/',
      component: () => import('../layouts/MainLayout.vue'),
      children: [
        { path: '', name: 'home', component: () => import('../views/home/HomeView.vue'), meta: { title: '工作台' } },
        {
          path: 'enterprises',
          name: 'enterprises',
          component: () => import('../views/enterprise/EnterpriseList.vue'),
          meta: { title: '企业', permission: 'enterprise.read' },
        },
        {
          path: 'enterprises/:uscc',
          name: 'enterprise',
          component: () => import('../views/enterprise/EnterpriseDetail.vue'),
          meta: { title: '企业一张表', permission: 'enterprise.read', parent: 'enterprises' },
        },
        {
          path: 'hazard-sources/:id',
          name: 'hazard-source',
          component: () => import('../views/hazard/HazardSourceView.vue'),
          meta: { title: '重大危险源', permission: 'enterprise.read', parent: 'enterprises' },
        },
        {
          path: 'map',
          name: 'map',
          component: () => import('../views/map/MapView.vue'),
          meta: { title: '一张图', permission: 'enterprise.read', regulator: true },
        },
        {
          path: 'alarms',
          name: 'alarms',
          component: () => import('../views/monitoring/AlarmsView.vue'),
          meta: { title: '报警', permission: 'enterprise.read' },
        },
        {
          path: 'risk/regions/:code?',
          name: 'region-risk',
          component: () => import('../views/risk/RegionRiskView.vue'),
          meta: { title: '区域风险', permission: 'enterprise.read', regulator: true },
        },
        {
          path: 'risk/gb18218',
          name: 'gb18218',
          component: () => import('../views/risk/Gb18218View.vue'),
          meta: { title: '重大危险源辨识' },
        },
        {
          path: 'hidden-dangers',
          name: 'hidden-dangers',
          component: () => import('../views/hidden_danger/HiddenDangersView.vue'),
          meta: { title: '隐患', permission: 'enterprise.read' },
        },
        {
          path: 'draws',
          name: 'draws',
          component: () => import('../views/enforcement/DrawsView.vue'),
          meta: { title: '双随机抽取', permission: 'enterprise.read' },
        },
        {
          path: 'accidents',
          name: 'accidents',
          component: () => import('../views/accident/AccidentsView.vue'),
          meta: { title: '事故信息', permission: 'enterprise.read' },
        },
        {
          path: 'emergency-resources',
          name: 'emergency-resources',
          component: () => import('../views/emergency/ResourcesView.vue'),
          meta: { title: '应急资源', permission: 'enterprise.read', regulator: true, parent: 'duty' },
        },
        {
          path: 'duty',
          name: 'duty',
          component: () => import('../views/emergency/DutyView.vue'),
          meta: { title: '应急值守', permission: 'enterprise.read', regulator: true },
        },
        {
          path: 'accident-stats',
          name: 'accident-stats',
          component: () => import('../views/accident/StatsView.vue'),
          meta: { title: '事故统计', permission: 'enterprise.read', regulator: true, parent: 'accidents' },
        },
        {
          path: 'incidents',
          name: 'incidents',
          component: () => import('../views/emergency/IncidentsView.vue'),
          meta: { title: '应急指挥', permission: 'enterprise.read', regulator: true },
        },
        {
          path: 'incidents/:id',
          name: 'incident',
          component: () => import('../views/emergency/CommandView.vue'),
          meta: { title: '指挥一张图', permission: 'enterprise.read', regulator: true, parent: 'incidents' },
        },
        {
          path: 'emergency-plans',
          name: 'emergency-plans',
          component: () => import('../views/emergency/PlansView.vue'),
          meta: { title: '应急预案', permission: 'enterprise.read', parent: 'duty' },
        },
        {
          path: 'accidents/new',
          name: 'accident-report',
          component: () => import('../views/accident/ReportView.vue'),
          meta: { title: '事故快报', permission: 'enterprise.read', parent: 'accidents' },
        },
        {
          path: 'accidents/:id',
          name: 'accident',
          component: () => import('../views/accident/AccidentView.vue'),
          meta: { title: '事故报告', permission: 'enterprise.read', parent: 'accidents' },
        },
        {
          path: 'enforcement-lists',
          name: 'enforcement-lists',
          component: () => import('../views/enforcement/ListsView.vue'),
          meta: { title: '名录库', permission: 'enterprise.read', regulator: true, parent: 'draws' },
        },
        {
          path: 'inspection-tasks',
          name: 'inspection-tasks',
          component: () => import('../views/enforcement/TasksView.vue'),
          meta: { title: '检查任务', permission: 'enterprise.read', regulator: true },
        },
        {
          path: 'inspection-tasks/:id/inspect',
          name: 'inspect',
          component: () => import('../views/enforcement/InspectView.vue'),
          meta: { title: '现场检查', permission: 'enterprise.read', regulator: true, parent: 'inspection-tasks' },
        },
        {
          path: 'inspections/:id',
          name: 'inspection',
          component: () => import('../views/enforcement/InspectionView.vue'),
          meta: { title: '现场检查记录', permission: 'enterprise.read', parent: 'inspection-tasks' },
        },
        {
          path: 'plans',
          name: 'plans',
          component: () => import('../views/enforcement/PlansView.vue'),
          meta: { title: '检查计划', permission: 'enterprise.read', regulator: true },
        },
        {
          path: 'cases',
          name: 'cases',
          component: () => import('../views/enforcement/CasesView.vue'),
          meta: { title: '行政处罚案件', permission: 'enterprise.read', regulator: true },
        },
        {
          path: 'cases/:id',
          name: 'case',
          component: () => import('../views/enforcement/CaseView.vue'),
          meta: { title: '案件', permission: 'enterprise.read', parent: 'cases' },
        },
        {
          path: 'checklists',
          name: 'checklists',
          component: () => import('../views/hidden_danger/ChecklistsView.vue'),
          meta: { title: '排查表', permission: 'enterprise.read', parent: 'hidden-dangers' },
        },
        {
          path: 'hidden-dangers/stats',
          name: 'hidden-danger-stats',
          component: () => import('../views/hidden_danger/HiddenDangerStatsView.vue'),
          meta: { title: '隐患统计', permission: 'enterprise.read', parent: 'hidden-dangers' },
        },
        {
          path: 'hidden-dangers/:id',
          name: 'hidden-danger',
          component: () => import('../views/hidden_danger/HiddenDangerView.vue'),
          meta: { title: '隐患记录', permission: 'enterprise.read', parent: 'hidden-dangers' },
        },
        { path: 'admin/users', name: 'users', component: () => import('../views/admin/UsersView.vue'), meta: { title: '用户', permission: 'user.read' } },
        { path: 'admin/orgs', name: 'orgs', component: () => import('../views/admin/OrgsView.vue'), meta: { title: '机构', permission: 'org.manage' } },
        { path: 'catalog', name: 'catalog', component: () => import('../views/catalog/CatalogView.vue'), meta: { title: '资源目录', permission: 'enterprise.read' } },
        {
          path: 'reports-below',
          name: 'reports-below',
          component: () => import('../views/exchange/ReplicaRecordsView.vue'),
          meta: { title: '下级报送的数据', permission: 'enterprise.read' },
        },
        { path: 'exchange', name: 'exchange', component: () => import('../views/exchange/ExchangeView.vue'), meta: { title: '数据交换', permission: 'org.manage' } },
        { path: 'admin/audit', name: 'audit', component: () => import('../views/admin/AuditView.vue'), meta: { title: '审计日志', permission: 'audit.read' } },
        { path: 'password', name: 'password', component: () => import('../views/account/PasswordView.vue'), meta: { title: '修改密码' } },
        { path: 'account/two-factor', name: 'two-factor', component: () => import('../views/account/TwoFactorView.vue'), meta: { title: '两步验证' } },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  const session = useSession()
  if (to.meta.public) return true
  if (!session.signedIn) return { name: 'login', query: { redirect: to.fullPath } }
  try {
    await session.load()
  } catch {
    return { name: 'login', query: { redirect: to.fullPath } }
  }
  if (session.user?.must_change_password && to.name !== 'password') return { name: 'password' }
  // A platform administrator enrols a second factor before anything else (the server asks the same).
  if (!session.user?.must_change_password && session.user?.must_enrol_second_factor && to.name !== 'two-factor') return { name: 'two-factor' }
  const permission = to.meta.permission as string | undefined
  if (permission && !session.can(permission)) return { name: 'home' }
  // The jurisdiction's pages (一张图, 区域风险) are regulators'; an enterprise's user has its own home.
  if (to.meta.regulator && session.user?.org.kind !== 'regulator') return { name: 'home' }
  return true
})

router.afterEach((to) => {
  document.title = `${(to.meta.title as string) ?? ''} · 安监`
})
