// Loaded before Bootstrap Italia's bundle: its video player (video.js, unused here) would otherwise add <style> elements
// at load, which the Content-Security-Policy (style-src 'self') refuses.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
