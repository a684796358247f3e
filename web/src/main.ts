import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/notification/style/css'
import App from './App.vue'
import { configureClient } from './api/client'
import { i18n } from './i18n'
import { router } from './router'
import { useSession } from './stores/session'
import './styles.css'

const app = createApp(App).use(createPinia()).use(router).use(i18n)
const session = useSession()
configureClient({
  token: () => session.token,
  onUnauthorized: () => {
    // An expired session: back to the login page, and back here afterwards.
    session.clear()
    const here = router.currentRoute.value
    if (here.name !== 'login') router.push({ name: 'login', query: { redirect: here.fullPath, expired: '1' } })
  },
  notify: (message) => ElMessage.error({ message, grouping: true }),
})
app.mount('#app')

// Installable and usable offline (the inspector's phone): the service worker keeps the console;
// inspections waiting in the outbox go when the network returns.
if ('serviceWorker' in navigator && import.meta.env.PROD) navigator.serviceWorker.register('/sw.js').catch(() => {})
window.addEventListener('online', () => {
  if (session.signedIn) import('./views/enforcement/outbox').then((o) => o.sync())
})
