# -*- coding: utf-8 -*-
# Live JSON-lines event callback for ansible-core >= 2.11 (tested 2.14.18), used by Runner
# Appliance's engine as the STDOUT callback: stdout then carries one JSON object per line and
# nothing else, flushed at once (warnings and "ERROR!" lines go to stderr).
#
# Enable:
#   ANSIBLE_CALLBACK_PLUGINS=<repo>/ansible/callback_plugins
#   ANSIBLE_STDOUT_CALLBACK=jsonevents
#   JSONEVENTS_PATH: unset or "-" = stdout (what the engine uses); "stderr"; or a file path
# Optional:
#   JSONEVENTS_MAX_OUTPUT=65536   truncate stdout/stderr/msg fields (chars)
#   JSONEVENTS_RUN_ID=<id>        echoed in every event (correlation id from caller)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = '''
    name: jsonevents
    type: stdout
    short_description: write one JSON line per ansible event (live)
    description:
      - Writes play/task/host events as JSON lines, flushed immediately.
    requirements:
      - enable in configuration (callbacks_enabled)
    options:
      path:
        description: File to append events to. "-" (default) writes to stdout, "stderr" to stderr.
        default: "-"
        env:
          - name: JSONEVENTS_PATH
        ini:
          - section: callback_jsonevents
            key: path
      max_output:
        description: Truncate stdout/stderr/msg to this many characters (0 = no limit).
        default: 65536
        type: int
        env:
          - name: JSONEVENTS_MAX_OUTPUT
        ini:
          - section: callback_jsonevents
            key: max_output
      run_id:
        description: Opaque id copied into every event.
        default: ""
        env:
          - name: JSONEVENTS_RUN_ID
'''

import json
import os
import sys
import threading
import time
from datetime import datetime, timezone

from ansible import context
from ansible.parsing.ajson import AnsibleJSONEncoder
from ansible.playbook.block import Block
from ansible.playbook.handler import Handler
from ansible.plugins.callback import CallbackBase

CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"


def _now():
    return datetime.now(timezone.utc).isoformat(timespec='milliseconds')


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'jsonevents'
    CALLBACK_NEEDS_ENABLED = False
    CALLBACK_NEEDS_WHITELIST = False

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display=display)
        self._fh = None
        self._lock = threading.Lock()
        self._seq = 0
        self._play = None
        self._starts = {}       # (host, task uuid) -> monotonic start
        self._max = 65536
        self._run_id = ''
        self._check = False

    # ------------------------------------------------------------------ setup
    def set_options(self, task_keys=None, var_options=None, direct=None):
        super(CallbackModule, self).set_options(task_keys=task_keys, var_options=var_options, direct=direct)
        path = self.get_option('path') or '-'
        self._max = int(self.get_option('max_output') or 0)
        self._run_id = self.get_option('run_id') or ''
        if path == '-':
            self._fh = sys.stdout
        elif path == 'stderr':
            self._fh = sys.stderr
        else:
            # line buffered append; works for regular files and FIFOs
            self._fh = open(path, 'a', buffering=1, encoding='utf-8')

    # ---------------------------------------------------------------- helpers
    def _emit(self, event, **data):
        with self._lock:
            self._seq += 1
            rec = {'seq': self._seq, 'ts': _now(), 'event': event, 'pid': os.getpid()}
            if self._run_id:
                rec['run_id'] = self._run_id
            rec.update(data)
            line = json.dumps(rec, cls=AnsibleJSONEncoder, sort_keys=False, ensure_ascii=False)
            fh = self._fh or sys.stdout
            fh.write(line + '\n')       # single write per event
            fh.flush()

    def _trunc(self, v):
        if isinstance(v, str) and self._max and len(v) > self._max:
            return v[:self._max] + '...[truncated %d chars]' % (len(v) - self._max)
        return v

    def _task_info(self, task):
        role = None
        if getattr(task, '_role', None) is not None:
            role = task._role.get_name()
        info = {
            'task': task.get_name().strip(),
            'task_uuid': str(task._uuid),
            'action': task.action,
            'role': role,
            'task_path': task.get_path(),
        }
        if isinstance(task, Handler):
            info['handler'] = True
        if self._check or getattr(task, 'check_mode', None) is True:
            info['check_mode'] = True
        return info

    @staticmethod
    def _rescued(task):
        """Whether a failure of this task is caught by the rescue of a block around it."""
        child, parent = task, getattr(task, '_parent', None)
        while parent is not None:
            if isinstance(parent, Block) and parent.rescue and any(
                    getattr(t, '_uuid', None) == child._uuid for t in (parent.block or [])):
                return True
            child, parent = parent, getattr(parent, '_parent', None)
        return False

    def _failure(self, task, ignore_errors):
        """Ansible's own words for a failure: ignored (ignore_errors), rescued (a block's rescue runs), or failed."""
        if ignore_errors or getattr(task, 'ignore_errors', False):
            return 'ignored', {'ignored': True, 'ignore_errors': True}
        if self._rescued(task):
            return 'rescued', {'rescued': True}
        return 'failed', {}

    def _result_event(self, event, status, result, extra=None):
        host = result._host.get_name()
        task = result._task
        res = result._result  # TaskQueueManager already passes a clean_copy(): no_log results are censored
        key = (host, str(task._uuid))
        start = self._starts.get(key)
        if event in ('runner_on_ok', 'runner_on_failed', 'runner_on_skipped', 'runner_on_unreachable'):
            self._starts.pop(key, None)
        no_log = bool(task.no_log) or bool(res.get('_ansible_no_log')) or 'censored' in res
        rec = {
            'play': self._play,
            'host': host,
            'status': status,
            'changed': bool(res.get('changed', False)),
            'duration_s': round(time.monotonic() - start, 3) if start is not None else None,
            'no_log': no_log,
        }
        rec.update(self._task_info(task))
        delegated = res.get('_ansible_delegated_vars', {}) or {}
        if delegated.get('ansible_host'):
            rec['delegated_to'] = delegated.get('ansible_host')
        if no_log:
            rec['msg'] = CENSORED
        else:
            for k in ('msg', 'stdout', 'stderr', 'rc', 'cmd', 'exception', 'module_stderr', 'module_stdout',
                      'reason', 'skip_reason', 'false_condition', 'retries', 'attempts'):
                if k in res:
                    rec[k] = self._trunc(res[k])
            if res.get('_ansible_item_label') is not None or 'item' in res:
                rec['item'] = res.get('_ansible_item_label', res.get('item'))
            if res.get('ignore_errors') or getattr(task, 'ignore_errors', False):
                rec['ignore_errors'] = bool(task.ignore_errors)
            if 'results' in res and isinstance(res['results'], list):
                rec['item_count'] = len(res['results'])
            for k in ('ansible_job_id', 'started', 'finished'):
                if k in res:
                    rec[k] = res[k]
        if extra:
            rec.update(extra)
        self._emit(event, **rec)

    # ------------------------------------------------------------- playbook
    def v2_playbook_on_start(self, playbook):
        self._check = bool(context.CLIARGS.get('check', False))
        self._emit('playbook_on_start', playbook=os.path.abspath(playbook._file_name), check_mode=self._check,
                   diff=bool(context.CLIARGS.get('diff', False)))

    def v2_playbook_on_play_start(self, play):
        self._play = play.get_name().strip()
        self._emit('playbook_on_play_start', play=self._play, play_uuid=str(play._uuid),
                   hosts=play.hosts if isinstance(play.hosts, list) else [play.hosts])

    def v2_playbook_on_task_start(self, task, is_conditional):
        rec = {'play': self._play}
        rec.update(self._task_info(task))
        self._emit('playbook_on_task_start', **rec)

    def v2_playbook_on_handler_task_start(self, task):
        rec = {'play': self._play, 'handler': True}
        rec.update(self._task_info(task))
        self._emit('playbook_on_handler_task_start', **rec)

    def v2_playbook_on_no_hosts_matched(self):
        self._emit('playbook_on_no_hosts_matched', play=self._play)

    def v2_playbook_on_no_hosts_remaining(self):
        self._emit('playbook_on_no_hosts_remaining', play=self._play)

    def v2_playbook_on_include(self, included_file):
        self._emit('playbook_on_include', play=self._play, file=included_file._filename,
                   hosts=[h.name for h in included_file._hosts])

    def v2_playbook_on_stats(self, stats):
        summary = {}
        for h in sorted(stats.processed.keys()):
            summary[h] = stats.summarize(h)
        # NOTE: errors raised outside tasks (missing include_role target, undefined vars in play
        # keywords, ...) print "ERROR!" on stderr and may still end with empty/green stats:
        # the process exit code is the authority, not this event.
        # set_stats data: per host, and the run's own (set_stats with per_host: false, the default).
        custom = {h: v for h, v in (getattr(stats, 'custom', None) or {}).items() if h != '_run'}
        self._emit('playbook_on_stats', play=self._play, stats=summary,
                   failed_hosts=sorted(h for h, s in summary.items() if s['failures']),
                   unreachable_hosts=sorted(h for h, s in summary.items() if s['unreachable']),
                   custom_stats=custom, global_custom_stats=(getattr(stats, 'custom', None) or {}).get('_run', {}))
        if self._fh not in (None, sys.stdout, sys.stderr):
            self._fh.flush()

    # --------------------------------------------------------------- runner
    def v2_runner_on_start(self, host, task):
        key = (host.get_name(), str(task._uuid))
        self._starts[key] = time.monotonic()
        rec = {'play': self._play, 'host': host.get_name(), 'status': 'started'}
        rec.update(self._task_info(task))
        self._emit('runner_on_start', **rec)

    def v2_runner_on_ok(self, result):
        status = 'changed' if result._result.get('changed', False) else 'ok'
        self._result_event('runner_on_ok', status, result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        status, extra = self._failure(result._task, ignore_errors)
        extra.setdefault('ignore_errors', bool(ignore_errors))
        self._result_event('runner_on_failed', status, result, extra)

    def v2_runner_on_skipped(self, result):
        self._result_event('runner_on_skipped', 'skipped', result)

    def v2_runner_on_unreachable(self, result):
        self._result_event('runner_on_unreachable', 'unreachable', result)

    def v2_runner_retry(self, result):
        self._result_event('runner_retry', 'retry', result)

    def v2_runner_item_on_ok(self, result):
        status = 'changed' if result._result.get('changed', False) else 'ok'
        self._result_event('runner_item_on_ok', status, result)

    def v2_runner_item_on_failed(self, result):
        status, extra = self._failure(result._task, False)
        self._result_event('runner_item_on_failed', status, result, extra)

    def v2_runner_item_on_skipped(self, result):
        self._result_event('runner_item_on_skipped', 'skipped', result)

    def v2_runner_on_async_poll(self, result):
        self._result_event('runner_on_async_poll', 'async_poll', result)

    def v2_runner_on_async_ok(self, result):
        self._result_event('runner_on_async_ok', 'async_ok', result)

    def v2_runner_on_async_failed(self, result):
        self._result_event('runner_on_async_failed', 'async_failed', result)

    def v2_on_file_diff(self, result):
        """What a task changed, or would change in check mode, as a unified diff (--diff)."""
        res = result._result
        diffs = []
        if 'results' in res and isinstance(res['results'], list):
            for item in res['results']:
                if 'diff' in item and item.get('changed'):
                    diffs.append(self._get_diff(item['diff']))
        elif 'diff' in res and res.get('changed'):
            diffs.append(self._get_diff(res['diff']))
        text = ''.join(d for d in diffs if d)
        if not text.strip():
            return
        rec = {'play': self._play, 'host': result._host.get_name(), 'status': 'diff',
               'changed': True, 'diff': self._trunc(text)}
        rec.update(self._task_info(result._task))
        if bool(result._task.no_log) or bool(res.get('_ansible_no_log')):
            rec['diff'] = CENSORED
        self._emit('on_file_diff', **rec)
