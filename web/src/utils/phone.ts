import { onBeforeUnmount, ref, type Ref } from 'vue'

// Whether the page is on a phone (≤ 640 px wide), kept up to date: lists become cards, labels go
// above values, drawers take the whole width.
export function useIsPhone(): Ref<boolean> {
  const query = window.matchMedia('(max-width: 640px)')
  const phone = ref(query.matches)
  const change = (e: MediaQueryListEvent) => (phone.value = e.matches)
  query.addEventListener('change', change)
  onBeforeUnmount(() => query.removeEventListener('change', change))
  return phone
}
