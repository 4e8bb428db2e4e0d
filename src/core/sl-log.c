/* sl-log.c — placeholder until implemented */
