/* sl-connection.c — placeholder until implemented */
