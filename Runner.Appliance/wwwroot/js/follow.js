// Follow mode for live logs: an element with data-follow="on" stays scrolled to the bottom as lines
// arrive, unless the reader has scrolled up (then it waits until they come back to the bottom).
(() => {
  const nearBottom = el => el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  const watched = new WeakSet();
  const watch = el => {
    if (watched.has(el)) return;
    watched.add(el);
    let stick = true;
    el.addEventListener('scroll', () => { stick = nearBottom(el); el.dataset.following = stick ? 'yes' : 'no'; });
    new MutationObserver(() => {
      if (stick && el.dataset.follow === 'on') el.scrollTop = el.scrollHeight;
    }).observe(el, { childList: true, subtree: true });
  };
  new MutationObserver(() => document.querySelectorAll('[data-follow]').forEach(watch))
    .observe(document.documentElement, { childList: true, subtree: true });
})();
