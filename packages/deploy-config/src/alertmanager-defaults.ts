// What Alertmanager 0.31 fills in when alertmanager.yml leaves a field out (as /api/v2/status shows
// it), dropped on both sides by the drift check. The integrations' default templates
// (`{{ template "slack.default.title" . }}`) are recognised by their shape in normalise.ts.
import type { NormaliseRules } from './normalise.ts';

export const ALERTMANAGER_RULES: NormaliseRules = {
  defaults: [
    ['global.resolve_timeout', '5m'],
    ['global.smtp_hello', 'localhost'],
    ['global.smtp_require_tls', true],
    ['global.smtp_tls_config.insecure_skip_verify', false],
    ['global.slack_app_url', 'https://slack.com/api/chat.postMessage'],
    ['global.pagerduty_url', 'https://events.pagerduty.com/v2/enqueue'],
    ['global.opsgenie_api_url', 'https://api.opsgenie.com/'],
    ['global.wechat_api_url', 'https://qyapi.weixin.qq.com/cgi-bin/'],
    ['global.victorops_api_url', 'https://alert.victorops.com/integrations/generic/20131114/alert/'],
    ['global.telegram_api_url', 'https://api.telegram.org'],
    ['global.webex_api_url', 'https://webexapis.com/v1/messages'],
    ['global.rocketchat_api_url', 'https://open.rocket.chat/'],
    ['**.http_config.follow_redirects', true],
    ['**.http_config.enable_http2', true],
    ['route.continue', false],
    ['route.**.routes.*.continue', false],
    ['route.group_wait', '30s'],
    ['route.group_interval', '5m'],
    ['route.repeat_interval', '4h'],
    ['receivers.*.slack_configs.*.send_resolved', false],
    ['receivers.*.slack_configs.*.app_url', 'https://slack.com/api/chat.postMessage'],
    ['receivers.*.slack_configs.*.color', '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}'],
    ['receivers.*.slack_configs.*.short_fields', false],
    ['receivers.*.slack_configs.*.link_names', false],
    ['receivers.*.slack_configs.*.timeout', '0s'],
    ['receivers.*.telegram_configs.*.send_resolved', true],
    ['receivers.*.telegram_configs.*.api_url', 'https://api.telegram.org'],
    ['receivers.*.telegram_configs.*.parse_mode', 'HTML'],
    ['receivers.*.telegram_configs.*.disable_notifications', false],
  ],
  keyedLists: { receivers: 'name' },
  setLists: ['group_by', 'equal', 'matchers', 'source_matchers', 'target_matchers', 'templates'],
  mountPaths: { templates: 2 },
};
