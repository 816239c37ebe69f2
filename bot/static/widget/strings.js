/* The widget's texts, in English and Chinese, and how its language is chosen. */

export const STRINGS = {
  en: {
    title: "Lumen Home support",
    openChat: "Chat with Lumen Home support",
    closeChat: "Close chat",
    inputLabel: "Your message",
    placeholder: "Type your message…",
    send: "Send",
    online: "Online",
    connecting: "Connecting…",
    reconnecting: "reconnecting…",
    unavailable: "unavailable, please try again later",
    convBot: "Virtual assistant",
    convQueued: "Waiting for a colleague…",
    convAssigned: "A colleague has joined",
    convClosed: "Conversation closed",
    ticket: "Ticket #{n}",
    agentLabel: "A colleague from our team",
    typing: "Typing…",
    pendingOffline: "Will be sent when the connection is back",
    failed: "Not sent",
    tooLong: "messages can be at most {n} characters",
    image: "Image",
    unread: "{n} new",
    introTitle: "Hi, how can we help?",
    introText:
      "Ask about orders, delivery, returns, payment or our products. A person from our team can join whenever you need one.",
    suggestions: ["Where is my order?", "What is your return policy?", "Which payment methods do you accept?"],
    suggestionsLabel: "Suggested questions",
    buttonsLabel: "Options",
  },
  zh: {
    title: "路明家居客服",
    openChat: "打开路明家居在线客服",
    closeChat: "关闭聊天",
    inputLabel: "您的消息",
    placeholder: "请输入您的问题…",
    send: "发送",
    online: "在线",
    connecting: "连接中…",
    reconnecting: "重新连接中…",
    unavailable: "暂时无法连接，请稍后再试",
    convBot: "智能助手",
    convQueued: "等待人工客服接入…",
    convAssigned: "客服同事已加入",
    convClosed: "会话已结束",
    ticket: "工单 #{n}",
    agentLabel: "人工客服同事",
    typing: "正在输入…",
    pendingOffline: "恢复连接后自动发送",
    failed: "发送失败",
    tooLong: "消息最多 {n} 个字符",
    image: "图片",
    unread: "{n} 条新消息",
    introTitle: "您好，有什么可以帮您？",
    introText: "订单、配送、退换货、支付和商品问题都可以问我。如有需要，人工客服同事随时可以为您服务。",
    suggestions: ["我的订单到哪了？", "退货政策是什么？", "支持哪些付款方式？"],
    suggestionsLabel: "常见问题",
    buttonsLabel: "选项",
  },
};

/** The page decides (data-lang on the widget's tag); else the browser's: zh* -> zh, else en. */
export function resolveLang(explicit) {
  const wanted = (explicit || "").trim().toLowerCase();
  if (wanted === "en" || wanted === "zh") return wanted;
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  return /^zh/i.test(preferred) ? "zh" : "en";
}

export function format(template, n) {
  return template.replace("{n}", String(n));
}
