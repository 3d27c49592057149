module.exports = require('fs');
