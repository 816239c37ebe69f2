/* The notification sound: two soft beeps, generated (no audio file). Browsers allow audio only
 * after a user gesture, so the context is created or resumed on the first click or key. */

import { state } from "./store.js";

let audio = null;

/** Creates/resumes the audio context inside a user gesture (browsers block it before). */
export function unlockAudio() {
  try {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    if (!audio) audio = new Context();
    if (audio.state === "suspended") audio.resume().catch(() => {});
  } catch {
    audio = null;
  }
}

/** Fails silently when audio is blocked. */
export function chime() {
  try {
    if (!audio) return;
    if (audio.state === "suspended") audio.resume().catch(() => {});
    const start = audio.currentTime + 0.03;
    for (const [offset, frequency] of [[0, 880], [0.2, 1318.5]]) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      const t = start + offset;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.12, t + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.16);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(t);
      oscillator.stop(t + 0.18);
    }
    state.sounds += 1;
  } catch {
    /* no sound, no fuss */
  }
}
