// The exchange as a user meets it (issue 17): `anjian demo --federation` starts a province node and
// its first county's node. A county inspector registers an enterprise at the county; within
// seconds the province's console shows it, marked 副本 with the county as its owner and no 修改;
// the province's administrator sees the link on the 数据交换 page, on a desk and on a phone.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'
import { apiGet, apiLogin, apiPost, root, spawnAnjian } from './server.mjs'

const artifacts = join(root, 'test-artifacts/e2e')
mkdirSync(artifacts, { recursive: true })

async function startFederation() {
  const server = await spawnAnjian(['demo', '--federation', '--listen', '127.0.0.1:0', '--web', join(root, 'web/dist'), '--enterprises', '300'], {
    count: 2,
    until: '区县节点',
  })
  return { province: server.urls[0], county: server.urls[1], stop: server.stop }
}

async function login(page, url, username) {
  await page.goto(url + '/login')
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill('Demo@2026')
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

// GB 32100: the 17 characters and their check character (as src/utils/uscc.ts computes it).
function uscc(first17) {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += alphabet.indexOf(first17[i]) * weights[i]
  return first17 + alphabet[(31 - (sum % 31)) % 31]
}

describe('federation', () => {
  let fed, browser, code
  before(async () => {
    fed = await startFederation()
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
  })
  after(async () => {
    await browser?.close()
    await fed?.stop()
  })

  test('an enterprise registered at the county appears at the province as the county’s, and the link is watched', async () => {
    const countyToken = await apiLogin(fed.county, 'x330102_inspector')
    code = uscc('91330102MA2E2E' + String(Date.now() % 1000).padStart(3, '0'))
    const made = await apiPost(fed.county, countyToken, '/api/v1/enterprises', {
      uscc: code,
      name: '上城区联网端到端测试化工有限公司',
      region_code: '330102',
      industry: 'hazchem_use',
    })
    assert.equal(made.status, 201, JSON.stringify(made.body))

    // Within seconds at the province.
    const provinceToken = await apiLogin(fed.province, 'c330100_inspector')
    let seen = false
    for (let i = 0; i < 40 && !seen; i++) {
      seen = (await apiGet(fed.province, provinceToken, `/api/v1/enterprises/${code}`)).status === 200
      if (!seen) await new Promise((r) => setTimeout(r, 250))
    }
    assert.ok(seen, 'the province holds it within 10 s')

    // A 重大 hidden danger found there travels up at once, and the province reads it as the county's.
    const danger = await apiPost(fed.county, countyToken, '/api/v1/hidden-dangers', {
      enterprise_uscc: code,
      description: '端到端测试：液氨储罐区未设置紧急切断装置',
      grade: 'major',
      major_reason: '涉及毒性气体的储罐区未设置紧急切断装置',
      found_by: 'inspection',
      found_at: new Date(Date.now() - 3600_000).toISOString(),
    })
    assert.equal(danger.status, 201, JSON.stringify(danger.body))
    const adminToken = await apiLogin(fed.province, 'p330000_admin')
    let dangerSeen = false
    for (let i = 0; i < 40 && !dangerSeen; i++) {
      const r = await apiGet(fed.province, adminToken, '/api/v1/exchange/records?type=hidden_danger')
      dangerSeen = r.body.items.some((x) => x.id === danger.body.id)
      if (!dangerSeen) await new Promise((r) => setTimeout(r, 250))
    }
    assert.ok(dangerSeen, 'the 重大隐患 reached the province within 10 s')

    for (const [width, name] of [[1280, 'desk'], [375, 'phone']]) {
      const page = await browser.newPage({ viewport: { width, height: 800 } })
      await login(page, fed.province, 'c330100_inspector')
      await page.goto(`${fed.province}/enterprises/${code}`)
      await page.locator('[data-test=replica]').waitFor()
      const banner = await page.locator('[data-test=replica]').innerText()
      assert.match(banner, /上城区安全生产监管节点/)
      assert.match(banner, /副本/)
      assert.equal(await page.locator('[data-test=edit]').count(), 0, 'no 修改 on a replica')
      await page.screenshot({ path: join(artifacts, `federation-replica-${name}.png`), fullPage: true })
      // The city's inspector meets the counties' 重大隐患 on the home page, and their list one click on.
      await page.goto(`${fed.province}/`)
      const below = page.locator('[data-test=hd-card-below]')
      await below.waitFor()
      assert.match(await below.innerText(), /下级报送：重大隐患未销号 [1-9]\d*/)
      await below.click()
      await page.waitForURL((u) => u.pathname === '/reports-below')
      await page.locator('[data-test=replica-record]', { hasText: '端到端测试：液氨储罐区未设置紧急切断装置' }).waitFor()
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling')
      await page.screenshot({ path: join(artifacts, `federation-reports-below-${name}.png`), fullPage: true })
      // The city's hidden-danger board says what the counties reported, by county, and leads there.
      await page.goto(`${fed.province}/hidden-dangers`)
      const banner2 = page.locator('[data-test=below-hidden_danger]')
      await banner2.waitFor()
      assert.match(await banner2.innerText(), /下级节点报送的隐患 [1-9]\d* 条：上城区 [1-9]\d* 条/)
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling')
      await page.screenshot({ path: join(artifacts, `federation-hidden-dangers-below-${name}.png`), fullPage: true })
      await page.close()

      const admin = await browser.newPage({ viewport: { width, height: 800 } })
      await login(admin, fed.province, 'p330000_admin')
      await admin.goto(`${fed.province}/exchange`)
      await admin.locator('[data-test=exchange-node]').waitFor()
      const links = width > 400 ? admin.locator('[data-test=exchange-links]') : admin.locator('[data-test=exchange-link]').first()
      await links.waitFor()
      assert.match(await links.innerText(), /上城区/)
      const shared = admin.locator('[data-test=replica-record]', { hasText: '端到端测试：液氨储罐区未设置紧急切断装置' })
      await shared.waitFor()
      assert.match(await shared.innerText(), /重大事故隐患/)
      assert.match(await admin.locator('[data-test=replica-records]').innerText(), /上城区联网端到端测试化工有限公司/)
      assert.ok(await admin.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling')
      await admin.screenshot({ path: join(artifacts, `federation-exchange-${name}.png`), fullPage: true })
      await admin.close()
    }
  })

  test('a correction asked at the province travels down, is accepted at the county and flows up', async () => {
    assert.ok(code, 'the enterprise of the test before')
    const corrected = '上城区联网端到端测试化工股份有限公司'
    // At the province (desk): the replica offers 申请更正 instead of 修改.
    const province = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await login(province, fed.province, 'c330100_inspector')
    await province.goto(`${fed.province}/enterprises/${code}`)
    await province.locator('[data-test=request-correction]').click()
    await province.locator('[data-test=correction-field]').click()
    await province.locator('.el-select-dropdown__item', { hasText: '企业名称' }).click()
    await province.locator('input[data-test=correction-value]').fill(corrected)
    await province.locator('textarea[data-test=correction-reason]').fill('名称与营业执照不符')
    await province.locator('[data-test=correction-send]').click()
    await province.locator('[data-test=record-corrections] [data-test=correction]').waitFor()
    await province.locator('.el-dialog').waitFor({ state: 'hidden' })
    assert.match(await province.locator('[data-test=record-corrections]').innerText(), /待处理[\s\S]*名称与营业执照不符/)
    await province.screenshot({ path: join(artifacts, 'federation-correction-asked.png'), fullPage: true })

    // At the county (phone): the request arrives by the county's pull within seconds; accepted there.
    const county = await browser.newPage({ viewport: { width: 375, height: 800 } })
    await login(county, fed.county, 'x330102_inspector')
    let arrived = false
    for (let i = 0; i < 20 && !arrived; i++) {
      await county.goto(`${fed.county}/enterprises/${code}`)
      await county.locator('[data-test=enterprise-name]').waitFor()
      arrived = (await county.locator('[data-test=correction-accept]').count()) > 0
      if (!arrived) await new Promise((r) => setTimeout(r, 500))
    }
    assert.ok(arrived, 'the county holds the request within 10 s')
    assert.ok(await county.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling')
    await county.screenshot({ path: join(artifacts, 'federation-correction-to-decide-phone.png'), fullPage: true })
    await county.locator('[data-test=correction-accept]').click()
    await county.getByRole('button', { name: '接受并修改' }).last().click()
    await county.locator('[data-test=enterprise-name]', { hasText: corrected }).waitFor()

    // Back up: the province's replica carries the corrected name, and the request shows 已接受.
    const token = await apiLogin(fed.province, 'c330100_inspector')
    let name = ''
    for (let i = 0; i < 40 && name !== corrected; i++) {
      name = (await apiGet(fed.province, token, `/api/v1/enterprises/${code}`)).body.name
      if (name !== corrected) await new Promise((r) => setTimeout(r, 250))
    }
    assert.equal(name, corrected, 'the corrected record reached the province within 10 s')
    let accepted = false
    for (let i = 0; i < 20 && !accepted; i++) {
      await province.goto(`${fed.province}/enterprises/${code}`)
      await province.locator('[data-test=enterprise-name]', { hasText: corrected }).waitFor()
      accepted = /已接受/.test(await province.locator('[data-test=record-corrections]').innerText())
      if (!accepted) await new Promise((r) => setTimeout(r, 500))
    }
    assert.ok(accepted, 'the decision reached the province')
    await province.screenshot({ path: join(artifacts, 'federation-correction-accepted.png'), fullPage: true })
    await province.close()
    await county.close()
  })

  test('a department asks the province for a resource, reads what is granted with its key, and loses it on revocation', async () => {
    assert.ok(code, 'the enterprise of the first test')
    // 杭州市公安局 (a member department) on a phone: 资源目录, 申请共享 企业基本信息 (无条件共享: granted at once).
    const dept = await browser.newPage({ viewport: { width: 375, height: 800 } })
    await login(dept, fed.province, 'c330100_dept')
    await dept.goto(`${fed.province}/catalog`)
    const entry = dept.locator('[data-test=catalog-entry]', { hasText: '企业基本信息' })
    await entry.waitFor()
    assert.match(await entry.innerText(), /无条件共享[\s\S]*安全管理人员[\s\S]*个人信息/)
    await entry.locator('[data-test=catalog-ask]').click()
    await dept.locator('textarea[data-test=ask-purpose]').fill('危化品运输车辆登记核验')
    await dept.locator('[data-test=ask-send]').click()
    const grant = dept.locator('[data-test=catalog-grant]', { hasText: '企业基本信息' })
    await grant.waitFor()
    assert.match(await grant.innerText(), /已授权/)
    await grant.locator('[data-test=grant-key]').click()
    const key = (await dept.locator('[data-test=grant-secret]').innerText()).trim()
    assert.match(key, /^ajk_/)
    assert.ok(await dept.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling')
    await dept.locator('[data-test=grant-secret]').press('Escape')
    await dept.waitForTimeout(500) // the dialog and the tags' transitions end
    await dept.screenshot({ path: join(artifacts, 'catalog-department-phone.png'), fullPage: true })

    // Its system reads with the key: only 杭州市's records — the county's replica among them — and no personal item.
    const read = async () => {
      const r = await fetch(`${fed.province}/api/v1/catalog/data/${encodeURIComponent(await entryCode())}?page_size=500`, { headers: { Authorization: `ApiKey ${key}` } })
      return { status: r.status, body: await r.json() }
    }
    const token = await apiLogin(fed.province, 'p330000_admin')
    const entryCode = async () => (await apiGet(fed.province, token, '/api/v1/catalog/entries')).body.items.find((e) => e.record_type === 'enterprise').code
    const data = await read()
    assert.equal(data.status, 200, JSON.stringify(data.body))
    assert.ok(data.body.items.length > 0)
    assert.ok(data.body.items.every((r) => r.region_code.startsWith('3301')), 'only the region granted')
    assert.ok(data.body.items.every((r) => !('safety_manager' in r) && !('legal_representative' in r)), 'no personal item')
    assert.ok(data.body.items.some((r) => r.uscc === code), 'the county’s record, held at the province, is served too')

    // The province's administrator (desk) sees the grant and its use, and revokes it: the key is refused.
    const admin = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await login(admin, fed.province, 'p330000_admin')
    await admin.goto(`${fed.province}/catalog`)
    const seen = admin.locator('[data-test=catalog-grant]', { hasText: '杭州市公安局' })
    await seen.waitFor()
    await admin.waitForTimeout(500)
    await admin.screenshot({ path: join(artifacts, 'catalog-admin-desk.png'), fullPage: true })
    // The administrator words the catalog: 不予共享 without its basis is refused where it is said.
    const accidents = admin.locator('[data-test=catalog-entry]', { hasText: '生产安全事故报告' })
    await accidents.locator('[data-test=catalog-edit]').click()
    const form = admin.locator('[data-test=wording-form]')
    await form.getByText('不予共享', { exact: true }).click()
    await admin.locator('[data-test=wording-save]').click()
    await form.getByText('须注明法律').waitFor()
    await form.getByText('有条件共享', { exact: true }).click()
    await admin.locator('textarea[data-test=wording-summary]').fill('生产安全事故快报、续报与逐级报送记录（省级汇总）。')
    await admin.locator('[data-test=wording-save]').click()
    await accidents.getByText('（省级汇总）').waitFor()
    await seen.getByRole('button', { name: '撤销' }).click()
    await admin.locator('.el-message-box input').fill('核验工作已完成')
    await admin.locator('.el-message-box').getByRole('button', { name: '撤销' }).click()
    await admin.locator('[data-test=catalog-grant]', { hasText: '已撤销' }).waitFor()
    assert.equal((await read()).status, 401, 'a revoked key is refused')
    await admin.close()
    await dept.close()
  })
})
