/* sl-endpoint-config.c — placeholder until implemented */
