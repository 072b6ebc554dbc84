/**
 * The demo bank's behaviour: a small single-page app whose every meaningful action is told to
 * the tracker, so a newcomer can click through and watch the events land. It uses only the
 * public snippet API (`sw(...)`), exactly as a bank's app would.
 */
type Sw = ((...args: unknown[]) => void) & { q?: unknown[][] }
const w = window as unknown as { sw: Sw }
// The snippet's stub, here rather than inline so the page runs under script-src 'self'.
w.sw =
  w.sw ||
  function (...args: unknown[]) {
    ;(w.sw.q = w.sw.q || []).push(args)
  }

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T

/** Calls the tracker and shows the call in the page's log. */
function sw(...args: unknown[]): void {
  w.sw(...args)
  const li = document.createElement('li')
  li.textContent = `sw(${args.map((a) => JSON.stringify(a)).join(', ')})`
  $('log').prepend(li)
}

// A pseudonymous user id, as a bank would derive from its own customer id (never the id itself).
const user = localStorage.getItem('demo_user') || `cust_${Math.random().toString(36).slice(2, 8)}`
localStorage.setItem('demo_user', user)
let tier = localStorage.getItem('demo_tier') || 'free'
$('user').textContent = user
$('tier').textContent = tier
sw('identify', user, { tier })
sw('stage', 'onboarding')

/** Client-side routing with pushState, which the tracker counts as pageviews. */
function show(path: string): void {
  const view = path.endsWith('/budget') ? 'budget' : path.endsWith('/plans') ? 'plans' : 'accounts'
  for (const v of ['accounts', 'budget', 'plans']) $(`view-${v}`).hidden = v != view
}
document.addEventListener('click', (e) => {
  const a = (e.target as HTMLElement).closest<HTMLAnchorElement>('a[data-nav]')
  if (!a) return
  e.preventDefault()
  history.pushState(null, '', a.dataset.nav)
  show(a.dataset.nav!)
})
addEventListener('popstate', () => show(location.pathname))
show(location.pathname)

$('spending').onclick = () => {
  sw('feature', 'spending_analysis', { name: 'view_report', status: 'completed' })
  sw('stage', 'feature_discovery')
}
sw('feature', 'balance_monitoring', { name: 'view_balances' })

// Linking an account: start → connect → verify (MFA) → complete, or abandon on close.
const dialog = $<HTMLDialogElement>('link')
let linkStarted = 0
function linkStep(id: string): void {
  for (const s of ['link-connect', 'link-verify', 'link-done']) $(s).hidden = s != id
}
$('link-open').onclick = () => {
  linkStep('link-connect')
  $('verify-error').hidden = true
  dialog.showModal()
  sw('step', 'account_linking', 'start')
}
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-bank]')) {
  b.onclick = () => {
    linkStarted = performance.now()
    sw('step', 'account_linking', 'connect', { props: { institution: b.dataset.bank! } })
    sw('connection', b.dataset.bank, { status: 'started' })
    setTimeout(() => linkStep('link-verify'), 400)
    dialog.dataset.bank = b.dataset.bank
  }
}
$('verify').onclick = () => {
  const ok = $<HTMLInputElement>('code').value.trim() == '123456'
  if (!ok) {
    sw('step', 'account_linking', 'verify', { status: 'failed', reason: 'wrong_code' })
    $('verify-error').textContent = 'That code is not right. Try 123456.'
    $('verify-error').hidden = false
    return
  }
  sw('step', 'account_linking', 'verify', { status: 'completed' })
  sw('complete', 'account_linking')
  sw('connection', dialog.dataset.bank, {
    status: 'completed',
    value: Math.round(performance.now() - linkStarted),
  })
  sw('stage', 'feature_usage')
  linkStep('link-done')
}
$('no-code').onclick = () => {
  sw('step', 'account_linking', 'verify', { status: 'failed', reason: 'mfa_timeout' })
  $('verify-error').textContent = 'We sent another code. Enter 123456.'
  $('verify-error').hidden = false
}
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-rating]')) {
  b.onclick = () => {
    sw('feedback', 'account_linking', Number(b.dataset.rating))
    dialog.close('done')
  }
}
dialog.addEventListener('close', () => {
  // Closed before linking finished: the tracker reports the run abandoned at its last step.
  if (dialog.returnValue == 'close' && $('link-done').hidden) {
    sw('abandon', 'account_linking', 'closed_modal')
  }
  dialog.returnValue = ''
})

// Budget setup: start → categories → limits → review → complete.
let budgetStarted = false
$('budget-categories').addEventListener('change', () => {
  if (!budgetStarted) sw('step', 'budget_setup', 'start')
  budgetStarted = true
})
$('budget-next').onclick = () => {
  if (!budgetStarted) sw('step', 'budget_setup', 'start')
  budgetStarted = true
  sw('step', 'budget_setup', 'categories')
  $('budget-limits').hidden = false
}
$('budget-form').onsubmit = (e) => {
  e.preventDefault()
  sw('step', 'budget_setup', 'limits')
  sw('step', 'budget_setup', 'review')
  sw('complete', 'budget_setup')
  sw('feature', 'budget_tracking', { name: 'create_budget', status: 'completed' })
  sw('conversion', 'first_budget')
  budgetStarted = false
  $('budget-limits').hidden = true
}

// Plan upgrade: select_plan → payment_details → confirm → complete (the demo site's config);
// the new tier is told with identify.
$('upgrade-start').onclick = () => {
  sw('step', 'plan_upgrade', 'select_plan', { props: { from: tier } })
  sw('step', 'plan_upgrade', 'payment_details')
  $('upgrade-pay').hidden = false
}
$('upgrade-cancel').onclick = () => {
  sw('abandon', 'plan_upgrade', 'not_now')
  $('upgrade-pay').hidden = true
}
$('upgrade-confirm').onclick = () => {
  sw('step', 'plan_upgrade', 'confirm', { status: 'completed' })
  sw('complete', 'plan_upgrade')
  tier = 'premium'
  localStorage.setItem('demo_tier', tier)
  $('tier').textContent = tier
  sw('identify', user, { tier })
  sw('conversion', 'plan_upgrade')
  sw('stage', 'advanced_usage')
  $('upgrade-pay').hidden = true
}
