// Signs the browser out after the appliance's idle timeout. The sign-out form lives in the main
// layout and carries the timeout (data-idle-seconds) and an antiforgery token.
(function () {
  let last = Date.now();
  const touch = () => { last = Date.now(); };
  ['mousemove', 'mousedown', 'keydown', 'scroll', 'touchstart', 'wheel'].forEach(e =>
    window.addEventListener(e, touch, { passive: true, capture: true }));
  setInterval(() => {
    const form = document.getElementById('logout-form');
    const seconds = form ? parseInt(form.dataset.idleSeconds || '0', 10) : 0;
    if (!form || !seconds || Date.now() - last < seconds * 1000) return;
    form.querySelector('input[name="reason"]').value = 'idle';
    form.submit();
  }, 5000);
})();
