/* sl-log-entry.c — placeholder until implemented */
